"""The official MCP Python SDK's stdio client against `tracectl mcp` (tests/it/mcp/lists.rs runs it).

Usage: mcp_client.py TRACECTL_BINARY DEMO_BUNDLE. Prints what the Rust test asserts on; any
failure raises, so the exit status is non-zero.
"""

import asyncio
import sys

from jsonschema.validators import validator_for
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main(binary: str, bundle: str) -> None:
    server = StdioServerParameters(
        command=binary, args=["mcp", "--replay", bundle], env={"NO_COLOR": "1"}
    )
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            print(f"tools: {len(tools)}")
            # Every schema valid against its own metaschema (jsonschema comes with the SDK).
            checked = 0
            for tool in tools:
                assert tool.input_schema["type"] == "object", tool.name
                for schema in (tool.input_schema, tool.output_schema):
                    if schema is not None:
                        validator_for(schema).check_schema(schema)
                        checked += 1
            print(f"schemas valid: {checked}")

            explained = await session.call_tool("explain", {"kind": "slow_dependency"})
            text = "".join(c.text for c in explained.content if c.type == "text")
            assert "How to fix it" in text, text

            steps = []

            async def progress(done, total, message):
                steps.append(message)

            result = await session.call_tool(
                "investigate_latency", {"service": "checkout"}, progress_callback=progress
            )
            assert not result.is_error, result
            report = result.structured_content
            assert report["schema"] == "tracectl.report/v1", report
            print(f"top: {report['findings'][0]['kind']}")
            print(f"progress: {len(steps)}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
