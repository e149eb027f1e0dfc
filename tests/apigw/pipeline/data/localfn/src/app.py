from helper import greeting  # a sibling module: the code folder is importable, as on Lambda


def handler(event, context):
    return {"greeting": greeting(event.get("name", "")), "function": context.function_name}
