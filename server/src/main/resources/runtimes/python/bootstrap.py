"""Kindling runtime bootstrap for Python (python3.9 ... python3.13).

Runs inside an execution environment: imports the handler named by _HANDLER,
then loops on the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API
(GET /next, call the handler, POST /response or /error).

Standard library only, and start-up imports are kept to a minimum (cold
start): the HTTP client is written on the bare _socket module (http.client,
socket, ssl and email are never imported), JSON goes through json's C
accelerator _json directly (json, re and enum stay unloaded), traceback is
imported only when an error has to be reported, and logging is configured
only once the function itself imports it. Must stay valid on Python 3.8+.
"""

import sys
import os
import time
import _socket

_NEXT_PATH = "/2018-06-01/runtime/invocation/next"
_INVOCATION_PATH = "/2018-06-01/runtime/invocation/"
_INIT_ERROR_PATH = "/2018-06-01/runtime/init/error"
_ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"

_MARSHAL_ERROR = "Runtime.MarshalError"
_UNMARSHAL_ERROR = "Runtime.UnmarshalError"
_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
_HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
_IMPORT_ERROR = "Runtime.ImportModuleError"
_BUILTIN_CONFLICT = "Runtime.BuiltInModuleConflict"
_MALFORMED_HANDLER = "Runtime.MalformedHandlerName"
_CONTEXT_ERROR = "Runtime.LambdaContextUnmarshalError"

_env = os.environ
_JSON_LOGS = (_env.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"
_LOG_LEVEL = (_env.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
if _LOG_LEVEL == "TRACE":
    _LOG_LEVEL = "DEBUG"

# Request id (and tenant id) of the invocation in progress; read by the
# logging filter. Empty during init.
_request_id = ""
_tenant_id = None


def _die(message):
    """The Runtime API is gone or broken: nothing sensible is left to do."""
    try:
        _flush()
        sys.__stderr__.write("kindling-runtime: %s\n" % message)
        sys.__stderr__.flush()
    except Exception:
        pass
    os._exit(1)


# ---------------------------------------------------------------- HTTP client

class _RuntimeClient(object):
    """Minimal HTTP/1.1 client holding one keep-alive connection."""

    def __init__(self, address):
        self.address = address
        host, _, port = address.rpartition(":")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        self.host = host or "127.0.0.1"
        self.port = int(port)
        self.sock = None
        self.buf = bytearray()
        self.user_agent = "kindling-python/%d.%d.%d" % sys.version_info[:3]
        self.get_next = (
            "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n\r\n"
            % (_NEXT_PATH, address, self.user_agent)
        ).encode("latin-1")

    def _connect(self):
        error = None
        host = self.host
        try:
            host = host.encode("ascii")  # a str would load the idna codec
        except UnicodeError:
            pass
        for family, kind, proto, _, addr in _socket.getaddrinfo(
                host, self.port, 0, _socket.SOCK_STREAM):
            sock = _socket.socket(family, kind, proto)
            try:
                sock.connect(addr)
            except OSError as e:
                sock.close()
                error = e
                continue
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
            self.sock = sock
            self.buf = bytearray()
            return
        raise error or OSError("cannot resolve %s" % self.address)

    def _close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed by the Runtime API")
        self.got_bytes = True
        self.buf += data

    def _read_line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 2]
                return line
            self._fill()

    def _read_exact(self, n):
        buf = self.buf
        if len(buf) >= n:
            out = bytes(buf[:n])
            del buf[:n]
            return out
        out = bytearray(n)
        view = memoryview(out)
        have = len(buf)
        view[:have] = buf
        self.buf = bytearray()
        while have < n:
            got = self.sock.recv_into(view[have:], min(n - have, 1 << 20))
            if not got:
                raise EOFError("connection closed by the Runtime API")
            have += got
        return bytes(out)

    def _read_response(self):
        self.got_bytes = False
        while True:
            i = self.buf.find(b"\r\n\r\n")
            if i >= 0:
                break
            self._fill()
        head = bytes(self.buf[:i]).decode("utf-8", "surrogateescape")
        del self.buf[:i + 4]
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]))
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size = int(self._read_line().split(b";", 1)[0], 16)
                if size == 0:
                    while self._read_line():  # trailers
                        pass
                    break
                parts.append(self._read_exact(size))
                self._read_line()
            body = b"".join(parts)
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:  # delimited by the end of the connection
            try:
                while True:
                    self._fill()
            except EOFError:
                pass
            body = bytes(self.buf)
            self.buf = bytearray()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self._close()
        return status, headers, body

    def request(self, message):
        """Send a complete request; return (status, headers, body).

        A kept-alive connection the server has closed in the meantime (idle
        timeout during a long invocation) is replaced once, as long as no
        byte of a response had arrived on it. Any other failure raises.
        """
        reused = self.sock is not None
        if not reused:
            self._connect()
        try:
            self.sock.sendall(message)
            return self._read_response()
        except (OSError, EOFError):
            self._close()
            if not reused or self.got_bytes:
                raise
        self._connect()
        self.sock.sendall(message)
        return self._read_response()

    def next(self):
        return self.request(self.get_next)

    def post(self, path, body, content_type="application/json", error_type=None):
        head = "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n" % (
            path, self.address, self.user_agent, content_type, len(body))
        if error_type:
            head += "%s: %s\r\n" % (_ERROR_TYPE_HEADER, _header_value(error_type))
        return self.request(head.encode("latin-1") + b"\r\n" + body)


def _header_value(value):
    value = str(value).encode("ascii", "backslashreplace").decode("ascii")
    return "".join(c for c in value if " " <= c <= "~")


# ----------------------------------------------------------------- JSON
#
# The json package costs about 5 ms of start-up (it pulls in re and enum) for
# what its C accelerator _json does alone. So events are parsed and results
# written with _json's scanner and encoder directly, set up exactly as json
# sets them up, with json itself as the fallback: on any parse error (so that
# the error message is json's own) and on any interpreter whose _json does
# not fit (checked once at start-up).

_WHITESPACE = " \t\n\r"


def _slow_loads(data):
    import json
    return json.loads(data)


def _make_codec():
    """Return (loads, make_encoder), on _json when possible."""
    try:
        import _json

        class _ScannerContext(object):
            pass

        ctx = _ScannerContext()
        ctx.strict = True
        ctx.object_hook = None
        ctx.object_pairs_hook = None
        ctx.parse_float = float
        ctx.parse_int = int
        ctx.parse_constant = {
            "-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__
        ctx.memo = {}
        scan = _json.make_scanner(ctx)

        def loads(data):
            try:
                if isinstance(data, (bytes, bytearray)):
                    if data[:3] == b"\xef\xbb\xbf" or (len(data) >= 2 and (not data[0] or not data[1])):
                        return _slow_loads(data)  # a BOM, or UTF-16/32
                    text = data.decode("utf-8", "surrogatepass")
                else:
                    text = data
                stripped = text.lstrip(_WHITESPACE)
                obj, end = scan(stripped, 0)
                if end != len(stripped) and stripped[end:].strip(_WHITESPACE):
                    return _slow_loads(data)
                return obj
            except Exception:
                return _slow_loads(data)  # raises json's own error

        def make_encoder(ensure_ascii, default):
            markers = {}
            encode_string = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
            iterencode = _json.make_encoder(
                markers, default, encode_string, None, ": ", ", ", False, False, True)

            def encode(o):
                if isinstance(o, str):
                    return encode_string(o)
                try:
                    return "".join(iterencode(o, 0))
                except BaseException:
                    markers.clear()
                    raise
            return encode

        sample = {"a": [1, 2.5, "h\u00e9\u2603", None, True, float("inf"), {"b": False}], 1: 2}
        text = '{"a": [1, 2.5, "h\\u00e9\\u2603", null, true, Infinity, {"b": false}], "1": 2}'
        if make_encoder(True, None)(sample) != text or loads(text.encode()) != {
                "a": [1, 2.5, "h\u00e9\u2603", None, True, float("inf"), {"b": False}], "1": 2}:
            raise ValueError("unexpected _json behaviour")
        return loads, make_encoder
    except Exception:
        import json

        def make_encoder(ensure_ascii, default):
            return json.JSONEncoder(ensure_ascii=ensure_ascii, allow_nan=True, default=default).encode
        return json.loads, make_encoder


_loads, _make_encoder = _make_codec()
_DEC_TOKEN = "\x00kindling-decimal-%x-%%d\x00" % (os.getpid() ^ int(time.time() * 1e6))


class _Encoder(object):
    """JSON like AWS's Python runtime: NaN/Infinity allowed, Decimal written
    as the exact number it holds, non-ASCII escaped except on python3.12+."""

    def __init__(self):
        ensure_ascii = _env.get("AWS_EXECUTION_ENV") not in (
            "AWS_Lambda_python3.12", "AWS_Lambda_python3.13",
            "AWS_Lambda_python3.14", "AWS_Lambda_python3.15")
        self.raw = []
        self.encode_result = _make_encoder(ensure_ascii, self._default)
        self.encode_text = _make_encoder(False, self._default)
        self.encode_token = _make_encoder(True, None)

    def _default(self, o):
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(o, decimal.Decimal):
            if o.is_nan():
                return float("nan")
            self.raw.append(str(o))
            return _DEC_TOKEN % (len(self.raw) - 1)
        raise TypeError("Object of type %s is not JSON serializable" % o.__class__.__name__)

    def encode(self, o, encode=None):
        try:
            text = (encode or self.encode_result)(o)
            if self.raw:
                for i, raw in enumerate(self.raw):
                    text = text.replace(self.encode_token(_DEC_TOKEN % i), raw)
            return text
        finally:
            if self.raw:
                self.raw = []


_encoder = _Encoder()


# ----------------------------------------------------------------- context

class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "%s([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.__class__.__name__, self.cognito_identity_id, self.cognito_identity_pool_id)


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name",
                 "app_version_code", "app_package_name"]

    def __repr__(self):
        return "%s([%s])" % (self.__class__.__name__, ",".join(
            "%s=%s" % (k, getattr(self, k)) for k in self.__slots__))


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "%s([custom=%s,env=%s,client=%s])" % (
            self.__class__.__name__, self.custom, self.env, self.client)


def _from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, values.get(name))
    return obj


def _parse_json_header(value, name):
    try:
        return _loads(value)
    except Exception as e:
        raise _Fault(_CONTEXT_ERROR, "Unable to parse %s JSON: %s" % (name, e))


_FUNCTION_NAME = _env.get("AWS_LAMBDA_FUNCTION_NAME")
_FUNCTION_VERSION = _env.get("AWS_LAMBDA_FUNCTION_VERSION")
_MEMORY_SIZE = _env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
_LOG_GROUP = _env.get("AWS_LAMBDA_LOG_GROUP_NAME")
_LOG_STREAM = _env.get("AWS_LAMBDA_LOG_STREAM_NAME")


class LambdaContext(object):
    """The context object handed to the handler, with AWS's fields."""

    def __init__(self, request_id, headers):
        self.aws_request_id = request_id
        self.log_group_name = _LOG_GROUP
        self.log_stream_name = _LOG_STREAM
        self.function_name = _FUNCTION_NAME
        self.memory_limit_in_mb = _MEMORY_SIZE
        self.function_version = _FUNCTION_VERSION
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.tenant_id = headers.get("lambda-runtime-aws-tenant-id")
        client_context = headers.get("lambda-runtime-client-context")
        if client_context:
            client_context = _from_dict(ClientContext, _parse_json_header(client_context, "Client Context"))
            if client_context is not None:
                client_context.client = _from_dict(Client, client_context.client)
        else:
            client_context = None
        self.client_context = client_context
        identity = CognitoIdentity()
        identity.cognito_identity_id = None
        identity.cognito_identity_pool_id = None
        cognito = headers.get("lambda-runtime-cognito-identity")
        if cognito:
            cognito = _parse_json_header(cognito, "Cognito Identity")
            if cognito is not None:
                identity.cognito_identity_id = cognito.get("cognitoIdentityId")
                identity.cognito_identity_pool_id = cognito.get("cognitoIdentityPoolId")
        self.identity = identity
        try:
            self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms") or 0)
        except ValueError:
            self._deadline_ms = 0

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "%s([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
            "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,"
            "client_context=%s,identity=%s,tenant_id=%s])" % (
                self.__class__.__name__, self.aws_request_id, self.log_group_name,
                self.log_stream_name, self.function_name, self.memory_limit_in_mb,
                self.function_version, self.invoked_function_arn, self.client_context,
                self.identity, self.tenant_id))


# ----------------------------------------------------------------- errors

class _Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        Exception.__init__(self, message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


def _make_error(message, error_type, trace, request_id):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": trace or [],
    }


def _error_from_exception(exc_type, exc, tb, request_id):
    import traceback
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    # Drop the bootstrap's own frames at the top of the trace.
    for i in range(len(frames)):
        if "/bootstrap.py" not in frames[i][0]:
            frames = frames[i:]
            break
    try:
        message = str(exc)
    except Exception:
        message = "<exception str() failed>"
    return _make_error(message, exc_type.__name__, traceback.format_list(frames), request_id)


def _log_error(error):
    """Write an error report to the log as one line (\\r joins its lines)."""
    if _JSON_LOGS:
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "log_level": "ERROR"}
        record.update(error)
        line = _encoder.encode(record, _encoder.encode_text).replace("\n", "\r")
    else:
        description = "[ERROR]"
        if error.get("errorType"):
            description += " " + error["errorType"]
        if error.get("errorMessage"):
            if error.get("errorType"):
                description += ":"
            description += " " + error["errorMessage"]
        lines = [description]
        trace = error.get("stackTrace")
        if trace is not None:
            lines.append("Traceback (most recent call last):")
            for element in trace:
                if element == "":
                    lines.append("")
                    continue
                for text in element.splitlines():
                    stripped = text.lstrip(" ")
                    lines.append("\u00a0" * (len(text) - len(stripped)) + stripped)
        line = "\r".join(lines).replace("\n", "\r")
    try:
        sys.stdout.write(line + "\n")
    except Exception:
        pass


def _flush():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass


# ----------------------------------------------------------------- logging

def _install_logging(logging):
    """Route the root logger to the function's log in AWS's format."""
    root = logging.getLogger()
    for h in root.handlers:
        if getattr(h, "_kindling", False):
            return
    logging.Formatter.converter = time.gmtime

    class LambdaLoggerHandler(logging.Handler):
        _kindling = True

        def emit(self, record):
            try:
                msg = self.format(record)
                if msg.endswith("\n"):
                    msg = msg[:-1]
                sys.stdout.write(msg.replace("\n", "\r") + "\n")
            except Exception:
                self.handleError(record)

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id or ""
            record.tenant_id = _tenant_id
            return True

    handler = LambdaLoggerHandler()
    if _JSON_LOGS:
        handler.setFormatter(_json_formatter(logging))
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S"))
    if _LOG_LEVEL and _LOG_LEVEL in getattr(logging, "_nameToLevel", {}):
        root.setLevel(_LOG_LEVEL)
    handler.addFilter(LambdaLoggerFilter())
    root.addHandler(handler)


_RESERVED_RECORD_FIELDS = frozenset((
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
    "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process", "taskName",
    "aws_request_id", "tenant_id", "message", "asctime"))


def _json_formatter(logging):
    class JsonFormatter(logging.Formatter):
        def format(self, record):
            level = min(50, max(0, record.levelno)) // 10 * 10
            record.levelno = level
            record.levelname = logging.getLevelName(level)
            exc = record.exc_info
            out = {
                "timestamp": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
                "level": record.levelname,
                "message": record.getMessage(),
                "logger": record.name,
            }
            if exc:
                import traceback
                out["stackTrace"] = traceback.format_tb(exc[2])
                out["errorType"] = exc[0].__name__
                out["errorMessage"] = str(exc[1])
            out["requestId"] = getattr(record, "aws_request_id", None)
            if exc:
                out["location"] = "%s:%s:%s" % (record.pathname, record.funcName, record.lineno)
            if getattr(record, "tenant_id", None) is not None:
                out["tenantId"] = record.tenant_id
            for key, value in record.__dict__.items():
                if key not in _RESERVED_RECORD_FIELDS and key not in out:
                    out[key] = value
            out = dict((k, v) for k, v in out.items() if v is not None)
            import json
            return json.dumps(out, ensure_ascii=False, default=str) + "\n"

    return JsonFormatter()


class _LoggingLoader(object):
    """Wraps the loader of the logging module to configure it once loaded."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        try:
            _install_logging(module)
        except Exception:
            pass  # not the standard library's logging (shadowed by the function's own)


class _LoggingFinder(object):
    """Configures logging lazily: importing it costs several milliseconds, so
    only functions that use it (directly or through a library) pay for it."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "logging":
            return None
        try:
            sys.meta_path.remove(cls)
        except ValueError:
            pass
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is None:
                continue
            spec = find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _LoggingLoader(spec.loader)
                return spec
        return None


# ----------------------------------------------------------------- handler

def _load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _Fault(_MALFORMED_HANDLER, "Bad handler '%s': %s" % (handler, e))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise _Fault(_BUILTIN_CONFLICT,
                         "Cannot use built-in module %s as a handler module" % module_name)
        import importlib
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise _Fault(_IMPORT_ERROR, "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _Fault(_SYNTAX_ERROR, "Syntax error in module '%s': %s" % (module_name, e), trace)
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault(_HANDLER_NOT_FOUND,
                     "Handler '%s' missing on module '%s'" % (function_name, module_name))


def _setup_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except Exception:
            pass


def _setup_path(task_root):
    """AWS's order: the function's code, then its layers' (site-packages first), then the runtime's own."""
    runtime_dir = os.path.dirname(os.path.abspath(__file__))
    # Kindling says where the layers are when they are not at /opt (no sandbox); the handler never sees it.
    opt = os.environ.pop("_KINDLING_OPT", "/opt")
    path = [p for p in sys.path if p not in ("", runtime_dir, task_root)]
    front = [task_root]
    # The runtime's Python version names the layer directory, even when a nearby interpreter runs it.
    runtime = _env.get("AWS_EXECUTION_ENV", "")
    version = runtime[len("AWS_Lambda_"):] if runtime.startswith("AWS_Lambda_python") else (
        "python%d.%d" % sys.version_info[:2])
    for layer_dir in ("%s/python/lib/%s/site-packages" % (opt, version), "%s/python" % opt):
        if os.path.isdir(layer_dir) and layer_dir not in path:
            front.append(layer_dir)
    # The boto3 Kindling bundles (<runtime dir>/sdk) comes before the interpreter's own site- and dist-packages, so
    # an older botocore installed on the host does not shadow it, and after the function's code and layers, so a
    # function's own boto3 wins, as on AWS.
    sdk = os.path.join(runtime_dir, "sdk")
    if os.path.isdir(sdk):
        at = next((i for i, p in enumerate(path) if p.endswith("-packages")), len(path))
        path.insert(at, sdk)
    sys.path[:] = front + path + [runtime_dir]


def main():
    global _request_id, _tenant_id
    address = _env.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        _die("AWS_LAMBDA_RUNTIME_API is not set")
    client = _RuntimeClient(address)
    _setup_streams()
    task_root = _env.get("LAMBDA_TASK_ROOT") or os.getcwd()
    _setup_path(task_root)
    if "logging" in sys.modules:
        _install_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _LoggingFinder)

    error = None
    try:
        handler = _load_handler(_env.get("_HANDLER", ""))
    except _Fault as f:
        error = _make_error(f.message, f.error_type, f.trace, None)
    except Exception:
        error = _error_from_exception(*sys.exc_info(), request_id=None)
    if error is not None:
        _log_error(error)
        _flush()
        try:
            client.post(_INIT_ERROR_PATH, _encoder.encode(error).encode("utf-8"),
                        error_type=error["errorType"])
        except Exception as e:
            _die("cannot report the init error to the Runtime API: %r" % (e,))
        os._exit(1)

    invocation_path = _INVOCATION_PATH
    environ = os.environ
    encode = _encoder.encode
    while True:
        try:
            status, headers, body = client.next()
        except Exception as e:
            _die("cannot get the next invocation: %r" % (e,))
        if status != 200:
            _die("GET /next answered %d: %r" % (status, body[:500]))
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        _request_id = request_id
        _tenant_id = headers.get("lambda-runtime-aws-tenant-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            environ["_X_AMZN_TRACE_ID"] = trace_id
        elif "_X_AMZN_TRACE_ID" in environ:
            del environ["_X_AMZN_TRACE_ID"]

        error = None
        try:
            context = LambdaContext(request_id, headers)
            try:
                event = _loads(body)
            except Exception as e:
                raise _Fault(_UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % e)
            result = handler(event, context)
            if isinstance(result, bytes):
                payload, content_type = result, "application/unknown"
            else:
                try:
                    payload = encode(result).encode("utf-8", "surrogatepass")
                except Exception as e:
                    raise _Fault(_MARSHAL_ERROR, "Unable to marshal response: %s" % e)
                content_type = "application/json"
        except _Fault as f:
            error = _make_error(f.message, f.error_type, f.trace, request_id)
        except Exception:
            error = _error_from_exception(*sys.exc_info(), request_id=request_id)

        try:
            if error is None:
                _flush()
                status, _, answer = client.post(
                    invocation_path + request_id + "/response", payload, content_type)
            else:
                _log_error(error)
                _flush()
                status, _, answer = client.post(
                    invocation_path + request_id + "/error",
                    encode(error).encode("utf-8", "surrogatepass"),
                    error_type=error["errorType"])
        except Exception as e:
            _die("cannot post the result of %s: %r" % (request_id, e))
        if status >= 300:
            # The server refused the result (e.g. too large, or the invocation
            # already timed out); it reports that itself. Carry on.
            sys.stderr.write("kindling-runtime: result of %s refused (%d): %s\n" % (
                request_id, status, answer[:500].decode("utf-8", "replace")))
            sys.stderr.flush()


if __name__ == "__main__":
    main()
