"""Runs aws CLI v1 command lines in one process, for the example corpus test.

Starting the CLI costs about half a second on a small machine, and the corpus runs a few
hundred command lines, so this script starts Python once and calls the CLI's own entry point,
`awscli.clidriver.create_clidriver().main(argv)`, once per line: the same code path as the
`aws` command, with a fresh driver (and so a fresh session) each time, so that nothing one
command sets (`--region`, `--output`) reaches the next.

Protocol: one JSON object per line on standard input, one per line on standard output.
It first prints {"examples": <the CLI's examples directory>, "version": <awscli version>,
"ec2_waiters": {waiter name: the operation it polls}}.
Each request is {"argv": [...], "cwd": path, "env": {name: value}, "stdin": text or null,
"stdout_to": path or null}; `env` is set for that command only. Each answer is
{"rc": exit status, "stdout": text, "stderr": text}.

Usage: python cli_examples.py (with the environment the CLI should see: endpoint, keys).
"""

import io
import json
import os
import sys

import awscli
import botocore.session
from awscli.clidriver import create_clidriver


def run(request):
    saved_env = {name: os.environ.get(name) for name in request.get("env", {})}
    os.environ.update(request.get("env", {}))
    os.chdir(request["cwd"])
    out, err = io.BytesIO(), io.BytesIO()
    stdin = (request.get("stdin") or "").encode()
    streams = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        rc = create_clidriver().main(request["argv"])
    except SystemExit as exit:
        rc = exit.code if isinstance(exit.code, int) else 1
    except BaseException as error:  # the CLI's own crash: an answer, not the driver's end
        sys.stderr.write(f"driver: {type(error).__name__}: {error}\n")
        rc = 255
    finally:
        # Detached, the wrappers leave the byte buffers open for reading.
        for wrapper in (sys.stdin, sys.stdout, sys.stderr):
            wrapper.flush()
            wrapper.detach()
        sys.stdin, sys.stdout, sys.stderr = streams
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    stdout = out.getvalue()
    if request.get("stdout_to"):
        with open(request["stdout_to"], "wb") as file:
            file.write(stdout)
    return {
        "rc": rc,
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr": err.getvalue().decode("utf-8", "replace"),
    }


def main():
    answers = sys.stdout
    examples = os.path.join(os.path.dirname(awscli.__file__), "examples")
    model = botocore.session.get_session().get_waiter_model("ec2")
    waiters = {name: model.get_waiter(name).operation for name in model.waiter_names}
    hello = {"examples": examples, "version": awscli.__version__, "ec2_waiters": waiters}
    answers.write(json.dumps(hello) + "\n")
    answers.flush()
    for line in sys.stdin:
        if line.strip():
            answers.write(json.dumps(run(json.loads(line))) + "\n")
            answers.flush()


main()
