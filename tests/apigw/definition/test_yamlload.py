"""YAML/JSON reading: CloudFormation tags kept symbolic, scalar typing, positions."""

from __future__ import annotations

import textwrap

import pytest

from vtlgw.apigw.definition import DefinitionError, parse_document
from vtlgw.apigw.definition.intrinsics import render
from vtlgw.apigw.definition.yamlload import resolve_plain


def yaml_doc(text: str, **kw):
    return parse_document(textwrap.dedent(text), name="t.yaml", syntax="yaml", **kw)


class TestIntrinsicTags:
    def test_scalar_forms(self):
        doc = yaml_doc(
            """\
            Resources:
              A:
                Ref1: !Ref MyApi
                Att: !GetAtt MyApi.RootResourceId
                Nested: !GetAtt Stack.Outputs.ApiUrl
                Sub: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/x
                Imp: !ImportValue shared-api-id
                Azs: !GetAZs ''
                B64: !Base64 hello
                Cond: !Condition IsProd
            """
        )
        a = doc.data["Resources"]["A"]
        assert a["Ref1"] == {"Ref": "MyApi"}
        assert a["Att"] == {"Fn::GetAtt": ["MyApi", "RootResourceId"]}
        assert a["Nested"] == {"Fn::GetAtt": ["Stack", "Outputs.ApiUrl"]}
        assert a["Sub"] == {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/x"}
        assert a["Imp"] == {"Fn::ImportValue": "shared-api-id"}
        assert a["Azs"] == {"Fn::GetAZs": ""}
        assert a["B64"] == {"Fn::Base64": "hello"}
        assert a["Cond"] == {"Condition": "IsProd"}

    def test_sequence_and_mapping_forms_nest(self):
        doc = yaml_doc(
            """\
            Resources:
              A:
                Join: !Join ['', ['arn:', !Ref AWS::Partition, ':apigateway:', !Ref AWS::Region]]
                Att: !GetAtt [Fn, Arn]
                SubVars: !Sub
                  - '${Fn}/invocations'
                  - Fn: !GetAtt Fn.Arn
                If: !If [IsProd, !Ref ProdArn, !Ref AWS::NoValue]
                Eq: !Equals [!Ref Stage, prod]
                Not: !Not [!Condition IsProd]
                Sel: !Select [0, !Split [',', 'a,b']]
                Map: !FindInMap [Regions, !Ref AWS::Region, Ami]
                Cidr: !Cidr ['10.0.0.0/16', 4, 8]
                Inc: !Transform {Name: 'AWS::Include', Parameters: {Location: 's3://bucket/api.yaml'}}
                Both: !And [!Condition A, !Or [!Condition B, !Condition C]]
            """
        )
        a = doc.data["Resources"]["A"]
        assert a["Join"] == {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}]]}
        assert a["Att"] == {"Fn::GetAtt": ["Fn", "Arn"]}
        assert a["SubVars"] == {"Fn::Sub": ["${Fn}/invocations", {"Fn": {"Fn::GetAtt": ["Fn", "Arn"]}}]}
        assert a["If"] == {"Fn::If": ["IsProd", {"Ref": "ProdArn"}, {"Ref": "AWS::NoValue"}]}
        assert a["Eq"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
        assert a["Not"] == {"Fn::Not": [{"Condition": "IsProd"}]}
        assert a["Sel"] == {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}
        assert a["Map"] == {"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}
        assert a["Cidr"] == {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}
        assert a["Inc"] == {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://bucket/api.yaml"}}}
        assert a["Both"] == {"Fn::And": [{"Condition": "A"}, {"Fn::Or": [{"Condition": "B"}, {"Condition": "C"}]}]}

    def test_tag_on_block_scalar(self):
        doc = yaml_doc(
            """\
            Resources:
              A:
                Template: !Sub |
                  Action=SendMessage&QueueUrl=${Queue}
                  &MessageBody=$input.body
            """
        )
        assert doc.data["Resources"]["A"]["Template"] == {
            "Fn::Sub": "Action=SendMessage&QueueUrl=${Queue}\n&MessageBody=$input.body\n"
        }
        pos = doc.position("/Resources/A/Template/Fn::Sub")
        assert (pos.content_line, pos.content_column, pos.style) == (4, 7, "|")

    def test_unknown_tag_is_an_error_with_position(self):
        with pytest.raises(DefinitionError) as info:
            yaml_doc(
                """\
                Resources:
                  A:
                    X: !Reff Api
                """
            )
        assert str(info.value) == "t.yaml:3:8: error: /Resources/A/X: unknown tag !Reff"

    def test_getatt_without_attribute(self):
        with pytest.raises(DefinitionError, match=r"t.yaml:1:4: error: /X: !GetAtt needs LogicalId.Attribute"):
            yaml_doc("X: !GetAtt Api\n")


class TestScalarTyping:
    def test_cloudformation_version_date_stays_a_string(self):
        doc = yaml_doc("AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n")
        assert doc.data["AWSTemplateFormatVersion"] == "2010-09-09"

    def test_openapi_dates_stay_strings(self):
        doc = yaml_doc("openapi: 3.0.1\ninfo:\n  version: 2024-05-01\n")
        assert doc.data["info"]["version"] == "2024-05-01"
        assert doc.data["openapi"] == "3.0.1"

    def test_cloudformation_uses_yaml11_booleans(self):
        doc = yaml_doc("Resources:\n  A: {a: yes, b: No, c: on, d: OFF, e: y, f: n, g: true, h: 'yes'}\n")
        assert doc.data["Resources"]["A"] == {
            "a": True, "b": False, "c": True, "d": False, "e": "y", "f": "n", "g": True, "h": "yes"
        }

    def test_openapi_keeps_yes_no_on_off_as_strings(self):
        doc = yaml_doc("openapi: 3.0.1\nx: {a: yes, b: no, c: on, d: off, e: true, f: False}\n")
        assert doc.data["x"] == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False}

    def test_schema_can_be_forced(self):
        assert yaml_doc("a: yes\n", yaml11=True).data == {"a": True}
        assert yaml_doc("Resources: {a: yes}\n", yaml11=False).data == {"Resources": {"a": "yes"}}

    @pytest.mark.parametrize(
        "text,yaml11,expected",
        [
            ("200", False, 200),
            ("200", True, 200),
            ("010", True, 8),
            ("010", False, 10),
            ("0x1F", True, 31),
            ("1_000", True, 1000),
            ("1_000", False, "1_000"),
            ("1:30", True, 90),
            ("1:30", False, "1:30"),
            ("1.5", False, 1.5),
            ("1e3", False, 1000.0),
            ("~", True, None),
            ("", False, None),
            ("4\\d{2}", True, "4\\d{2}"),
            ("2010-09-09", True, "2010-09-09"),
        ],
    )
    def test_plain_scalars(self, text, yaml11, expected):
        assert resolve_plain(text, yaml11) == expected

    def test_keys_are_source_text(self):
        doc = yaml_doc("openapi: 3.0.1\nresponses:\n  200: {}\n  on: {}\n  010: {}\n")
        assert list(doc.data["responses"]) == ["200", "on", "010"]

    def test_explicit_str_tag(self):
        doc = yaml_doc("Resources:\n  a: !!str yes\n  b: !!int '42'\n")
        assert doc.data["Resources"] == {"a": "yes", "b": 42}


class TestStructure:
    def test_order_is_kept(self):
        doc = yaml_doc("t:\n  text/plain: a\n  application/xml: b\n  application/json: c\n")
        assert list(doc.data["t"]) == ["text/plain", "application/xml", "application/json"]

    def test_aliases_and_merge_keys(self):
        doc = yaml_doc(
            """\
            common: &cors
              method.response.header.Access-Control-Allow-Origin: "'*'"
            a:
              <<: *cors
              method.response.header.X: "'1'"
            b: *cors
            """
        )
        assert doc.data["a"] == {
            "method.response.header.X": "'1'",
            "method.response.header.Access-Control-Allow-Origin": "'*'",
        }
        assert doc.data["b"] == doc.data["common"]

    def test_duplicate_keys_are_recorded(self):
        doc = yaml_doc("a:\n  x: 1\n  x: 2\n")
        assert doc.data == {"a": {"x": 2}}
        assert [str(e) for e in doc.duplicates] == ["t.yaml:3:3: error: /a/x: duplicate key (first defined at line 2)"]

    def test_syntax_error_has_position(self):
        with pytest.raises(DefinitionError) as info:
            yaml_doc("a:\n  b: [1, 2\n  c: 3\n")
        err = info.value
        assert err.file == "t.yaml" and err.line is not None and err.column is not None
        assert "invalid YAML" in str(err)

    def test_empty_file(self):
        with pytest.raises(DefinitionError, match="t.yaml: error: the file is empty"):
            yaml_doc("# nothing\n")


class TestPositions:
    def test_yaml_value_and_key_positions(self):
        doc = yaml_doc(
            """\
            paths:
              /pets:
                get:
                  x-amazon-apigateway-integration:
                    type: mock
            """
        )
        pos = doc.position("/paths/~1pets/get/x-amazon-apigateway-integration/type")
        assert (pos.line, pos.column, pos.key_line, pos.key_column, pos.style) == (5, 15, 5, 9, None)

    def test_block_scalar_content_start(self):
        text = textwrap.dedent(
            """\
            t:
              application/json: |-

                #set($a = 1)
                {"a": $a}
              text/plain: |2
                  indented
            """
        )
        doc = parse_document(text, name="t.yaml")
        lines = text.splitlines()
        pos = doc.position("/t/application~1json")
        assert (pos.line, pos.content_line, pos.content_column, pos.style) == (2, 3, 5, "|")
        # Template line n is file line content_line + n - 1.
        template = doc.data["t"]["application/json"]
        assert template.splitlines()[1] == "#set($a = 1)"
        assert lines[pos.content_line + 1 - 1][pos.content_column - 1 :] == "#set($a = 1)"
        pos2 = doc.position("/t/text~1plain")
        assert doc.data["t"]["text/plain"] == "  indented\n"
        assert (pos2.content_line, pos2.content_column) == (7, 5)

    def test_json_positions(self):
        text = '{\n  "paths": {\n    "/pets": {"get": {"x": [1, {"y": "z"}]}}\n  }\n}\n'
        doc = parse_document(text, name="a.json")
        pos = doc.position("/paths/~1pets/get/x/1/y")
        assert (pos.line, pos.column, pos.key_line, pos.key_column, pos.style) == (3, 38, 3, 33, '"')
        assert doc.position("/paths").line == 2
        assert doc.position("").line == 1

    def test_json_syntax_error(self):
        with pytest.raises(DefinitionError) as info:
            parse_document('{\n  "a": 1,\n}\n', name="bad.json")
        assert str(info.value).startswith("bad.json:3:1: error: invalid JSON:")

    def test_json_duplicate_keys(self):
        doc = parse_document('{"a": {"x": 1,\n "x": 2}}', name="d.json")
        assert doc.data == {"a": {"x": 2}}
        assert [str(e) for e in doc.duplicates] == ["d.json:2:2: error: /a/x: duplicate key (first defined at line 1)"]


class TestRender:
    def test_cdk_join_uri(self):
        uri = {
            "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                              ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["Fn1A2B3C", "Arn"]},
                              "/invocations"]]
        }
        assert render(uri) == (
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn1A2B3C.Arn}"
            "/invocations"
        )

    def test_sub_with_variables_and_escape(self):
        value = {"Fn::Sub": ["${Fn}/x/${!Literal}/${AWS::Region}", {"Fn": {"Fn::GetAtt": ["F", "Arn"]}}]}
        assert render(value) == "${F.Arn}/x/${Literal}/${AWS::Region}"

    def test_other_functions_render_as_calls(self):
        assert render({"Fn::ImportValue": "x"}) == '${Fn::ImportValue("x")}'
        assert render({"Fn::Select": [1, ["a", "b"]]}) == "b"
