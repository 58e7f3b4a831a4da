# Sourced by the invoke benchmarks: installs wrk and Debian's awscli (whose botocore bench.py uses) when missing.
if ! command -v wrk >/dev/null || [ ! -x /usr/bin/aws ]; then
  echo "bench: installing wrk and awscli" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk awscli >/dev/null
fi
PYTHON=/usr/bin/python3   # the system interpreter: its botocore comes with Debian's AWS CLI v2
