# The orders API of examples/sam-orders, written for Terraform.
# `terraform plan -out plan.out && terraform show -json plan.out > plan.json` gives what vtlgw reads:
# `vtlgw invoke --api plan.json -X POST -p /orders` (the function runs in-process from src/).

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_dynamodb_table" "orders" {
  name         = "orders-prod"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "orderId"

  attribute {
    name = "orderId"
    type = "S"
  }
}

resource "aws_sqs_queue" "order_events" {
  name = "order-events-prod"
}

# ---------------------------------------------------------------------------- the function

data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/orders.zip"
}

resource "aws_iam_role" "orders" {
  name = "orders-create-prod"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "orders" {
  function_name    = "orders-create-prod"
  role             = aws_iam_role.orders.arn
  filename         = data.archive_file.orders.output_path
  source_code_hash = data.archive_file.orders.output_base64sha256
  handler          = "app.lambda_handler"
  runtime          = "python3.12"
  timeout          = 5

  environment {
    variables = {
      TABLE_NAME       = aws_dynamodb_table.orders.name
      EVENTS_QUEUE_URL = aws_sqs_queue.order_events.url
    }
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/*"
}

# ---------------------------------------------------------------------------- the API

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "create_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "create_order_201" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.create_order.http_method
  status_code = "201"
}

resource "aws_api_gateway_method_response" "create_order_400" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.create_order.http_method
  status_code = "400"
}

resource "aws_api_gateway_integration" "create_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.create_order.http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.orders.invoke_arn
  passthrough_behavior    = "NEVER"

  request_templates = {
    "application/json" = <<-EOT
      {
        "order": $input.json('$'),
        "table": "${aws_dynamodb_table.orders.name}",
        "region": "${data.aws_region.current.name}",
        "account": "${data.aws_caller_identity.current.account_id}",
        "requestId": "$context.requestId"
      }
    EOT
  }
}

resource "aws_api_gateway_integration_response" "create_order_201" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.create_order.http_method
  status_code = aws_api_gateway_method_response.create_order_201.status_code

  response_templates = {
    "application/json" = <<-EOT
      #set($o = $input.path('$'))
      {"orderId": "$o.orderId", "items": $o.items, "table": "$o.table", "region": "$o.region"}
    EOT
  }

  depends_on = [aws_api_gateway_integration.create_order]
}

resource "aws_api_gateway_integration_response" "create_order_400" {
  rest_api_id       = aws_api_gateway_rest_api.orders.id
  resource_id       = aws_api_gateway_resource.orders.id
  http_method       = aws_api_gateway_method.create_order.http_method
  status_code       = aws_api_gateway_method_response.create_order_400.status_code
  selection_pattern = "\\[BadRequest\\].*"

  response_templates = {
    "application/json" = "{\"message\": \"$util.escapeJavaScript($input.path('$.errorMessage'))\"}"
  }

  depends_on = [aws_api_gateway_integration.create_order]
}

resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "health"
}

resource "aws_api_gateway_method" "health" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.health.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_method_response" "health_200" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = aws_api_gateway_method.health.http_method
  status_code = "200"
}

resource "aws_api_gateway_integration" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = aws_api_gateway_method.health.http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_integration_response" "health_200" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = aws_api_gateway_method.health.http_method
  status_code = aws_api_gateway_method_response.health_200.status_code

  response_templates = {
    "application/json" = "{\"status\": \"ok\", \"stack\": \"orders-prod\"}"
  }

  depends_on = [aws_api_gateway_integration.health]
}

# ---------------------------------------------------------------------------- the stage

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.orders.id,
      aws_api_gateway_method.create_order.id,
      aws_api_gateway_integration.create_order.id,
      aws_api_gateway_resource.health.id,
      aws_api_gateway_method.health.id,
      aws_api_gateway_integration.health.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}
