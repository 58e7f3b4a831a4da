// The runtimes the console offers, and the function AWS's console creates for each with "Author from scratch":
// the same file names, handler and code.
const PYTHON = {
  handler: "lambda_function.lambda_handler",
  files: {
    "lambda_function.py": `import json

def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps('Hello from Lambda!')
    }
`,
  },
};

const NODE = {
  handler: "index.handler",
  files: {
    "index.mjs": `export const handler = async (event) => {
  // TODO implement
  const response = {
    statusCode: 200,
    body: JSON.stringify('Hello from Lambda!'),
  };
  return response;
};
`,
  },
};

// A custom runtime's sample: a bootstrap that serves the Runtime API and a shell handler, as AWS's tutorial.
const PROVIDED = {
  handler: "function.handler",
  files: {
    bootstrap: `#!/bin/bash
set -euo pipefail
# Initialization: load the function handler
. "$LAMBDA_TASK_ROOT/$(echo $_HANDLER | cut -d. -f1).sh"
# Processing: one event at a time
while true
do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
`,
    "function.sh": `function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="Echoing request: '$EVENT_DATA'"
  echo $RESPONSE
}
`,
  },
};

export const RUNTIMES = [
  { id: "python3.13", label: "Python 3.13", sample: PYTHON },
  { id: "python3.12", label: "Python 3.12", sample: PYTHON },
  { id: "python3.11", label: "Python 3.11", sample: PYTHON },
  { id: "python3.10", label: "Python 3.10", sample: PYTHON },
  { id: "python3.9", label: "Python 3.9", sample: PYTHON },
  { id: "nodejs22.x", label: "Node.js 22.x", sample: NODE },
  { id: "nodejs20.x", label: "Node.js 20.x", sample: NODE },
  { id: "nodejs18.x", label: "Node.js 18.x", sample: NODE },
  { id: "provided.al2023", label: "Amazon Linux 2023 (custom runtime)", sample: PROVIDED },
  { id: "provided.al2", label: "Amazon Linux 2 (custom runtime)", sample: PROVIDED },
];

export function sampleFor(runtime) {
  return (RUNTIMES.find((r) => r.id === runtime) ?? RUNTIMES[0]).sample;
}
