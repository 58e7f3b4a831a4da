#!/usr/bin/env bash
# A Java function with the real AWS CLI against a freshly started server: a RequestHandler compiled with javac and
# uploaded as a jar, created with --runtime java21 and SnapStart (CLI v1, whose model knows java21 and SnapStart),
# invoked, published, its version's SnapStart shown On; and a java11 function with Debian's CLI v2 (whose older
# model stops at java11), which runs on the JDK chosen for java11.
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
source "$here/scripts/find-jdk.sh"
start_server
endpoint="http://127.0.0.1:$port"
core="$(ls ~/.m2/repository/com/amazonaws/aws-lambda-java-core/1.4.0/aws-lambda-java-core-1.4.0.jar)" \
  || fail "aws-lambda-java-core is not in ~/.m2 (the Maven build puts it there)"
mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" --release 11 -d "$work/classes" -cp "$core" "$here/bench/java/Hello.java" || fail "javac"
(cd "$work/classes" && "$JAVA_HOME/bin/jar" cf "$work/hello.jar" .)
printf '{"name": "Ada"}' >"$work/event.json"

invoke() { # invoke CLI FUNCTION: the result in $work/result.json
  $1 --endpoint-url "$endpoint" lambda invoke --function-name "$2" --payload "fileb://$work/event.json" \
      --output json "$work/result.json" >/dev/null || fail "$1 invoke $2"
  [ "$(cat "$work/result.json")" = '"hello Ada"' ] || fail "$2 answered $(cat "$work/result.json")"
}

if command -v aws >/dev/null && [ "$(command -v aws)" != /usr/bin/aws ]; then
  aws --endpoint-url "$endpoint" lambda create-function --function-name java-hello --runtime java21 \
      --handler bench.Hello::handleRequest --zip-file "fileb://$work/hello.jar" --memory-size 512 \
      --snap-start ApplyOn=PublishedVersions --role arn:aws:iam::000000000000:role/lambda-role --output json \
      >"$work/created.json" || fail "aws create-function --runtime java21"
  grep -q '"ApplyOn": "PublishedVersions"' "$work/created.json" || fail "SnapStart: $(cat "$work/created.json")"
  invoke aws java-hello
  version=$(aws --endpoint-url "$endpoint" lambda publish-version --function-name java-hello --query Version \
      --output text) || fail "aws publish-version"
  status=$(aws --endpoint-url "$endpoint" lambda get-function-configuration --function-name java-hello \
      --qualifier "$version" --query SnapStart.OptimizationStatus --output text) || fail "get-function-configuration"
  [ "$status" = On ] || fail "OptimizationStatus of version $version: $status"
  invoke aws "java-hello:$version"
fi

/usr/bin/aws --endpoint-url "$endpoint" lambda create-function --function-name java-eleven --runtime java11 \
    --handler bench.Hello --zip-file "fileb://$work/hello.jar" \
    --role arn:aws:iam::000000000000:role/lambda-role --output json >/dev/null \
  || fail "/usr/bin/aws create-function --runtime java11"
invoke /usr/bin/aws java-eleven
echo "cli-java: ok"
