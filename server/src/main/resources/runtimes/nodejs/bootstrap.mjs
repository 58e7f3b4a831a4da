// Kindling runtime bootstrap for Node.js (nodejs18.x, nodejs20.x, nodejs22.x).
//
// Runs inside an execution environment: loads the handler named by _HANDLER
// from LAMBDA_TASK_ROOT, then loops on the Lambda Runtime API at
// $AWS_LAMBDA_RUNTIME_API (GET /next, call the handler, POST /response or
// /error) over one keep-alive connection. Node built-ins only.
//
// Completion follows the Node.js programming model of AWS Lambda:
// - a handler returning a Promise completes when it settles;
// - a callback handler completes when callback(err, result) is called; with
//   context.callbackWaitsForEmptyEventLoop = true (the default) a successful
//   result is posted only once the event loop has nothing left to do
//   (process 'beforeExit'), with false it is posted at once;
// - if the event loop empties before the handler completed: an async
//   function fails with Runtime.NodeJsExit, any other handler succeeds with
//   null.

import net from 'node:net';
import { Writable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';

const API = process.env.AWS_LAMBDA_RUNTIME_API || '';
const NEXT_PATH = '/2018-06-01/runtime/invocation/next';
const INVOCATION_PATH = '/2018-06-01/runtime/invocation/';
const INIT_ERROR_PATH = '/2018-06-01/runtime/init/error';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
const USER_AGENT = `kindling-nodejs/${process.version}`;

const require = createRequire(import.meta.url);

// ES modules ignore NODE_PATH. The bundled AWS SDK is found without it: the sandbox links /var/node_modules to
// /var/runtime/node_modules, where a .mjs handler's import of '@aws-sdk/client-s3' looks after its own node_modules.
// Packages in layers (/opt/nodejs/...) need a resolution hook, which costs a loader thread (about 20 ms of CPU per
// cold start): it is registered only when a layer brings node_modules.
const LAYER_MODULES = (process.env.NODE_PATH || '').split(':').slice(0, 2); // /opt/nodejs/node<major>/node_modules, /opt/nodejs/node_modules
if (typeof register === 'function' && LAYER_MODULES.some((dir) => fs.existsSync(dir))) {
  register(new URL('./node-path-resolver.mjs', import.meta.url),
    { data: process.env.NODE_PATH.split(':').filter(Boolean) });
}

// ------------------------------------------------------------------ errors

function runtimeError(name, makeMessage) {
  const cls = class extends Error {
    constructor(...args) {
      super(makeMessage ? makeMessage(...args) : args[0]);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  cls.prototype.name = `Runtime.${name}`;
  return cls;
}

const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');
const NodeJsExit = runtimeError(
  'NodeJsExit',
  () =>
    'The event loop became empty before the handler completed: the Node.js process ' +
    'would have exited. This usually means a Promise that never settled.',
);
class UnhandledPromiseRejection extends runtimeError('UnhandledPromiseRejection') {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}

function isErrorLike(o) {
  return (
    !!o &&
    typeof o.name === 'string' && o.name !== '' &&
    typeof o.message === 'string' && o.message !== '' &&
    typeof o.stack === 'string' && o.stack !== ''
  );
}

// The body posted to /error and /init/error.
function toErrorResponse(error) {
  try {
    if (types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: error.stack.replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'The handler failed with a value whose name, message or stack could not be read',
    };
  }
}

function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

// Errors logged as text: their message, type, code, own properties and stack.
function errorWithProperties(value) {
  if (!(value instanceof Error)) return value;
  const out = Object.assign(
    { errorType: value.name, errorMessage: value.message, code: value.code },
    value,
  );
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}

function formatErrorForText(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => errorWithProperties(v));
  } catch {
    return '\t' + JSON.stringify(toErrorResponse(error));
  }
}

// ------------------------------------------------------------------ logging

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};
const JSON_LOGS = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
const MIN_LEVEL = LEVELS[(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || LEVELS.TRACE;

let currentRequestId; // undefined during init, logged as "undefined" like AWS
let currentTenantId;

const stdout = process.stdout;
const newlines = /\n/g;

function logText(level, message, params) {
  const line = `${new Date().toISOString()}\t${currentRequestId}\t${level.name}\t${format(message, ...params)}`;
  stdout.write(line.replace(newlines, '\r') + '\n');
}

function jsonErrorReplacer(_key, value) {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value?.constructor?.name ?? 'UnknownError',
        errorMessage: value.message,
        stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
      },
      value,
    );
  }
  return value;
}

function logJson(level, message, params) {
  const record = {
    timestamp: new Date().toISOString(),
    level: level.name,
    requestId: currentRequestId,
  };
  if (currentTenantId != null) record.tenantId = currentTenantId;
  let line;
  if (params.length === 0) {
    record.message = message;
    try {
      line = JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = format(message);
      line = JSON.stringify(record);
    }
  } else {
    record.message = format(message, ...params);
    for (const p of [message, ...params]) {
      if (p instanceof Error) {
        record.errorType = p?.constructor?.name ?? 'UnknownError';
        record.errorMessage = p.message;
        record.stackTrace = typeof p.stack === 'string' ? p.stack.split('\n') : [];
        break;
      }
    }
    line = JSON.stringify(record);
  }
  stdout.write(line.replace(newlines, '\r') + '\n');
}

function patchConsole() {
  const log = JSON_LOGS ? logJson : logText;
  const nop = () => {};
  const method = (level) =>
    level.priority >= MIN_LEVEL.priority ? (message, ...params) => log(level, message, params) : nop;
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.log = console.info;
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  console.fatal = (message, ...params) => log(LEVELS.FATAL, message, params);
}

function logError(label, error) {
  if (JSON_LOGS) console.error(intoError(error));
  else console.error(label, formatErrorForText(intoError(error)));
}

// ------------------------------------------------------------------ Runtime API client

const [apiHost, apiPort] = (() => {
  const i = API.lastIndexOf(':');
  let host = i > 0 ? API.slice(0, i) : API;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host || '127.0.0.1', i > 0 ? Number(API.slice(i + 1)) : 80];
})();
function die(message) {
  try {
    process.stderr.write(`kindling-runtime: ${message}\n`);
  } finally {
    process.exit(1);
  }
}

// stdout/stderr are captured line by line; everything written must reach the
// pipe before the result is posted (pipes are synchronous on Linux, so this is
// normally immediate).
function whenFlushed(then) {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  if (pending.length === 0) return then();
  let left = pending.length;
  for (const s of pending) s.once('drain', () => --left === 0 && then());
}

// A small HTTP/1.1 client over one kept-alive TCP connection. Node's http
// module costs several times more CPU per request, and the Runtime API needs
// very little of it. While no request is in flight the socket is unref'd, so
// it never keeps the event loop alive (callbackWaitsForEmptyEventLoop).
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

class RuntimeConnection {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.sock = null;
    this.waiter = null; // { resolve, reject, gotBytes }
    this.chunks = [];
    this.length = 0;
    this.head = null; // { status, headers, bodyLength, chunked, untilClose }
  }

  connect() {
    // onread: the socket reads into one buffer of ours and skips the stream layer (less JavaScript per
    // invocation); each read is copied out, as it may be kept until the response is whole.
    const sock = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (nread, buf) => this.onData(Buffer.from(buf.subarray(0, nread))) },
    });
    sock.on('error', (err) => this.onClose(sock, err));
    sock.on('close', () => this.onClose(sock, null));
    this.sock = sock;
    this.chunks = [];
    this.length = 0;
    this.head = null;
    return sock;
  }

  // head: the request line and headers, without the final empty line.
  // Calls onResponse({ status, headers, body }) or onError(err). Callbacks,
  // not promises: this is the per-invocation path, and every promise step is
  // JavaScript that V8 runs unoptimised for a long while in each environment.
  request(head, body, onResponse, onError) {
    const send = (retry) => {
      const reused = this.sock !== null;
      const sock = reused ? this.sock : this.connect();
      // A kept-alive connection the server closed meanwhile (idle timeout)
      // is replaced once, if no byte of a response had come back on it.
      const waiter = { gotBytes: false, resolve: onResponse, reject: null };
      waiter.reject = (err) => {
        if (retry && reused && !waiter.gotBytes) send(false);
        else onError(err);
      };
      this.waiter = waiter;
      sock.ref();
      if (body === undefined) {
        sock.write(head + '\r\n\r\n', 'latin1');
      } else if (typeof body === 'string') {
        sock.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      } else {
        sock.cork();
        sock.write(`${head}\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
        sock.write(body);
        sock.uncork();
      }
    };
    send(true);
  }

  // Starts a request whose body the caller writes to this.sock (chunked);
  // resolves with the response.
  stream(head) {
    return new Promise((resolve, reject) => {
      const sock = this.sock !== null ? this.sock : this.connect();
      this.waiter = { gotBytes: false, resolve, reject };
      sock.ref();
      sock.write(head, 'latin1');
    });
  }

  onClose(sock, err) {
    if (sock !== this.sock) return;
    this.sock = null;
    sock.destroy();
    const waiter = this.waiter;
    if (waiter === null) return;
    const head = this.head;
    if (head !== null && head.untilClose && err === null) {
      this.finish(Buffer.concat(this.chunks, this.length));
      return;
    }
    this.waiter = null;
    waiter.reject(err || new Error('connection closed by the Runtime API'));
  }

  onData(chunk) {
    const waiter = this.waiter;
    if (waiter === null) return; // nothing asked: ignore
    waiter.gotBytes = true;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.head === null) {
      const buf = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.length);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.parseHead(buf.toString('utf8', 0, end));
      const rest = buf.subarray(end + 4);
      this.chunks = rest.length ? [rest] : [];
      this.length = rest.length;
    }
    const head = this.head;
    if (head.bodyLength >= 0) {
      if (this.length >= head.bodyLength) {
        const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
        this.finish(all.subarray(0, head.bodyLength));
      }
    } else if (head.chunked) {
      const body = this.parseChunked();
      if (body !== null) this.finish(body);
    }
  }

  parseHead(text) {
    const lines = text.split('\r\n');
    const status = Number(lines[0].split(' ', 2)[1]);
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const head = { status, headers, bodyLength: -1, chunked: false, untilClose: false };
    if (headers['content-length'] !== undefined) head.bodyLength = Number(headers['content-length']);
    else if (/chunked/i.test(headers['transfer-encoding'] || '')) head.chunked = true;
    else if (status === 204 || status === 304 || status < 200) head.bodyLength = 0;
    else head.untilClose = true;
    this.head = head;
  }

  // Returns the whole body once the last chunk has arrived, else null.
  parseChunked() {
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    this.chunks = [buf];
    const parts = [];
    let pos = 0;
    for (;;) {
      const eol = buf.indexOf('\r\n', pos);
      if (eol < 0) return null;
      const size = parseInt(buf.toString('latin1', pos, eol).split(';')[0], 16);
      if (size === 0) {
        // the trailers (ignored) end with an empty line
        return buf.indexOf('\r\n\r\n', eol) < 0 ? null : Buffer.concat(parts);
      }
      if (buf.length < eol + 2 + size + 2) return null;
      parts.push(buf.subarray(eol + 2, eol + 2 + size));
      pos = eol + 2 + size + 2;
    }
  }

  finish(body) {
    const waiter = this.waiter;
    const head = this.head;
    this.waiter = null;
    this.head = null;
    this.chunks = [];
    this.length = 0;
    if (this.sock !== null) {
      if ((head.headers.connection || '').toLowerCase() === 'close') {
        this.sock.destroy();
        this.sock = null;
      } else {
        this.sock.unref();
      }
    }
    waiter.resolve({ status: head.status, headers: head.headers, body });
  }
}

const connection = new RuntimeConnection(apiHost, apiPort);

function apiRequest(method, urlPath, body, headers, onResponse, onError, conn = connection) {
  let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${API}`;
  for (const name in headers) head += `\r\n${name}: ${headers[name]}`;
  conn.request(head, body, onResponse, onError);
}

const NEXT_HEADERS = { 'User-Agent': USER_AGENT };

function sanitizeHeader(value) {
  return String(value).replace(/[^\x20-\x7E]/g, '?');
}

const JSON_HEADERS = { 'User-Agent': USER_AGENT, 'Content-Type': 'application/json' };

// Posts a result, an error or an init error once the output written so far
// reached the log; then() runs once the Runtime API took it. A refusal (too
// large, already timed out...) is the server's to report: noted, not fatal.
function postJson(urlPath, bodyString, errorType, what, then, conn) {
  let headers = JSON_HEADERS;
  if (errorType !== undefined) headers = { ...JSON_HEADERS, [ERROR_TYPE_HEADER]: sanitizeHeader(errorType) };
  const posted = (res) => {
    checkPosted(what)(res);
    then();
  };
  const failed = (e) => die(`cannot post the ${what}: ${e}`);
  whenFlushed(() => apiRequest('POST', urlPath, bodyString, headers, posted, failed, conn));
}

function checkPosted(what) {
  return (res) => {
    if (res.status >= 300) {
      process.stderr.write(
        `kindling-runtime: ${what} refused (${res.status}): ${res.body.toString().slice(0, 500)}\n`,
      );
    }
  };
}

function serializeResult(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

function postResponse(body, id, then) {
  postJson(`${INVOCATION_PATH}${encodeURIComponent(id)}/response`, body, undefined, `result of ${id}`, then);
}

function postError(error, id, then, conn) {
  const response = toErrorResponse(error);
  let body;
  try {
    body = JSON.stringify(response);
  } catch {
    body = JSON.stringify({ errorType: String(response.errorType), errorMessage: String(response.errorMessage), trace: [] });
  }
  postJson(`${INVOCATION_PATH}${encodeURIComponent(id)}/error`, body, response.errorType, `error of ${id}`,
    then, conn);
}

function postInitError(error, then) {
  const response = toErrorResponse(error);
  postJson(INIT_ERROR_PATH, JSON.stringify(response), response.errorType, 'init error', then);
}

// ------------------------------------------------------------------ handler loading

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

function exists(p) {
  return fs.existsSync(p);
}

function requireIfExists(file) {
  return exists(file) ? require(file) : undefined;
}

async function importIfExists(file) {
  return exists(file) ? await import(pathToFileURL(file).href) : undefined;
}

// Is `folder` governed by a package.json with "type": "module"? The nearest
// package.json decides; the search stops at a node_modules folder.
function folderIsEsm(folder) {
  for (;;) {
    if (folder.endsWith('/node_modules')) return false;
    const pj = path.join(folder, 'package.json');
    if (exists(pj)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
        if (pkg) return pkg.type === 'module';
      } catch (e) {
        console.warn(`${pj} could not be parsed; it is ignored when deciding whether .js files are ES modules.`, e);
        return false;
      }
    }
    if (folder === '/') return false;
    folder = path.resolve(folder, '..');
  }
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  // 1. the exact path (an extensionless file, or a folder): require()
  const exact = requireIfExists(base);
  if (exact) return exact;
  // 2. name.js, as CommonJS unless its package.json says "type": "module"
  const jsIsEsm = exists(base + '.js') && folderIsEsm(path.dirname(base + '.js'));
  if (!jsIsEsm) {
    const cjs = requireIfExists(base + '.js');
    if (cjs) return cjs;
  }
  // 3. name.js as an ES module, then name.mjs, then name.cjs
  const loaded =
    (jsIsEsm && (await importIfExists(base + '.js'))) ||
    (await importIfExists(base + '.mjs')) ||
    requireIfExists(base + '.cjs');
  if (loaded) return loaded;
  // 4. Node's own resolution from the task root (node_modules, .json, ...)
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.slice(0, fullHandler.length - handlerString.length);
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match;

  if (!/^(1|true)$/.test(process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA || '')) {
    globalThis.awslambda = {
      streamifyResponse(handler, options) {
        handler[HANDLER_STREAMING] = STREAM_RESPONSE;
        if (typeof options?.highWaterMark === 'number') {
          handler[HANDLER_HIGHWATERMARK] = parseInt(options.highWaterMark);
        }
        return handler;
      },
      HttpResponseStream,
    };
  }

  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }
  const fn = handlerPath.split('.').reduce((o, key) => o && o[key], app);
  if (!fn) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return fn;
}

// ------------------------------------------------------------------ invocation loop

// One 'beforeExit' listener; what it does depends on the invocation state.
let onBeforeExit = () => {};
process.on('beforeExit', () => onBeforeExit());

// Fatal errors: during init they are init errors; later they fail the
// invocation in progress. Either way the process then exits, as on AWS.
let currentInvocation = null; // { id, completed }
let fatal = false;

function fatalError(error, exitCode) {
  if (fatal) return;
  fatal = true;
  const inv = currentInvocation;
  const exit = () => process.exit(exitCode);
  if (inv === null) return postInitError(error, exit);
  if (inv.completed) return exit();
  inv.completed = true;
  // A separate connection: the kept-alive one may be busy (e.g. with /next).
  postError(error, inv.id, exit, new RuntimeConnection(apiHost, apiPort));
}

process.on('uncaughtException', (error) => {
  logError('Uncaught Exception', error);
  fatalError(error, 129);
});
process.on('unhandledRejection', (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason, promise);
  logError('Unhandled Promise Rejection', error);
  fatalError(error, 128);
});

const FUNCTION_VERSION = process.env.AWS_LAMBDA_FUNCTION_VERSION;
const FUNCTION_NAME = process.env.AWS_LAMBDA_FUNCTION_NAME;
const MEMORY_SIZE = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const LOG_GROUP = process.env.AWS_LAMBDA_LOG_GROUP_NAME;
const LOG_STREAM = process.env.AWS_LAMBDA_LOG_STREAM_NAME;

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

// Fetches the next invocation: at start, and once the Runtime API took the
// last answer (called from that response's read, so nothing of the last
// invocation is on the stack).
function fetchNext() {
  apiRequest('GET', NEXT_PATH, undefined, NEXT_HEADERS, handleInvocation, (e) =>
    die(`cannot get the next invocation: ${e}`),
  );
}

// Builds the callback and the callback part of the context (succeed, fail,
// done, callbackWaitsForEmptyEventLoop). Only the first completion counts.
function buildCallbacks(inv) {
  let waitForEmptyEventLoop = true;
  const id = inv.id;
  const failWith = (err) => {
    logError('Invoke Error', err);
    inv.completed = true;
    postError(err, id, fetchNext);
  };
  const complete = (result) => {
    if (inv.completed) {
      console.error('This invocation was already completed; a second result is ignored.');
      return;
    }
    const body = serializeResult(result); // may throw: then the invocation fails
    inv.completed = true;
    postResponse(body, id, fetchNext);
  };
  const callback = (err, result) => {
    onBeforeExit = () => {};
    if (err !== undefined && err !== null) failWith(err);
    else if (!waitForEmptyEventLoop) complete(result);
    else onBeforeExit = () => setImmediate(() => complete(result));
  };
  const done = (err, result) => {
    onBeforeExit = () => {};
    if (err !== undefined && err !== null) failWith(err);
    else complete(result);
  };

  let finished = false;
  const once = (fn) =>
    function (...args) {
      if (!finished) {
        fn(...args);
        finished = true;
      }
    };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };
  return [once(callback), context];
}

let handler;
let handlerIsAsync = false;
let handlerIsStreaming = false;

function handleInvocation(res) {
  if (res.status !== 200) die(`GET /next answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
  const headers = res.headers;
  const id = headers['lambda-runtime-aws-request-id'];
  if (!id) die('GET /next answered without Lambda-Runtime-Aws-Request-Id');
  const inv = { id, completed: false };
  currentInvocation = inv;
  currentRequestId = id;
  currentTenantId = headers['lambda-runtime-aws-tenant-id'];
  if (handlerIsStreaming) return handleStreaming(inv, headers, res.body);

  const [callback, context] = buildCallbacks(inv);
  onBeforeExit = () => {
    inv.completed = true;
    if (handlerIsAsync) {
      const error = new NodeJsExit();
      logError('Invoke Error', error);
      postError(error, id, fetchNext);
    } else {
      postResponse('null', id, fetchNext);
    }
  };
  try {
    attachInvokeData(context, headers);
    const result = handler(JSON.parse(res.body), context, callback);
    if (result && typeof result.then === 'function') {
      result.then(context.succeed, context.fail).catch(context.fail);
    }
  } catch (err) {
    callback(err);
  }
}

function attachInvokeData(context, headers) {
  const trace = headers['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  context.functionVersion = FUNCTION_VERSION;
  context.functionName = FUNCTION_NAME;
  context.memoryLimitInMB = MEMORY_SIZE;
  context.logGroupName = LOG_GROUP;
  context.logStreamName = LOG_STREAM;
  context.clientContext = parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext');
  context.identity = parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity');
  context.invokedFunctionArn = headers['lambda-runtime-invoked-function-arn'];
  context.awsRequestId = headers['lambda-runtime-aws-request-id'];
  context.tenantId = headers['lambda-runtime-aws-tenant-id'];
  context.getRemainingTimeInMillis = () => deadline - Date.now();
  return context;
}

// ------------------------------------------------------------------ response streaming

const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

class HttpResponseStream {
  // Writes the HTTP status and headers (as a JSON prelude and 8 NUL bytes)
  // ahead of the body, for function URLs.
  static from(stream, prelude) {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    stream.write(JSON.stringify(prelude));
    stream.write(Buffer.alloc(8));
    return stream;
  }
}

// The response stream of a streaming handler: a chunked POST to /response
// with Lambda-Runtime-Function-Response-Mode: streaming, on the same kept-alive
// connection. The request head goes out with the first byte (so that
// setContentType works until then); an error after that is reported in the
// trailers Lambda-Runtime-Function-Error-Type / -Error-Body.
class ResponseStream extends Writable {
  constructor(id, highWaterMark) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.id = id;
    this.contentType = 'application/octet-stream';
    this.started = false;
    this.failure = null;
    this.response = null;
  }

  setContentType(type) {
    if (this.started) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.contentType = type;
  }

  start() {
    if (this.started) return;
    this.started = true;
    const head =
      `POST ${INVOCATION_PATH}${encodeURIComponent(this.id)}/response HTTP/1.1\r\nHost: ${API}` +
      `\r\nUser-Agent: ${USER_AGENT}\r\nContent-Type: ${sanitizeHeader(this.contentType)}` +
      `\r\nLambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked` +
      `\r\nTrailer: ${ERROR_TYPE_HEADER}, Lambda-Runtime-Function-Error-Body\r\n\r\n`;
    this.response = connection.stream(head);
  }

  _write(chunk, _encoding, callback) {
    this.start();
    if (chunk.length === 0) return callback();
    connection.sock.cork();
    connection.sock.write(chunk.length.toString(16) + '\r\n', 'latin1');
    connection.sock.write(chunk);
    connection.sock.write('\r\n', 'latin1', () => callback());
    connection.sock.uncork();
  }

  _final(callback) {
    this.start();
    let trailers = '';
    if (this.failure !== null) {
      const response = this.failure;
      trailers =
        `${ERROR_TYPE_HEADER}: ${sanitizeHeader(response.errorType)}\r\n` +
        `Lambda-Runtime-Function-Error-Body: ${Buffer.from(JSON.stringify(response)).toString('base64')}\r\n`;
    }
    connection.sock.write(`0\r\n${trailers}\r\n`, 'latin1', () => callback());
  }
}

function handleStreaming(inv, headers, body) {
  const id = inv.id;
  const stream = new ResponseStream(id, handler[HANDLER_HIGHWATERMARK]);
  let waitForEmptyEventLoop = true;
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
  };
  // After the response went out, the next invocation is fetched at once, or
  // once the event loop is empty (callbackWaitsForEmptyEventLoop, as on AWS).
  const next = () => {
    if (!waitForEmptyEventLoop) return fetchNext();
    onBeforeExit = () => {
      onBeforeExit = () => {};
      setImmediate(fetchNext);
    };
  };
  let finished = false;
  const finish = (err) => {
    if (finished) return;
    finished = true;
    if (err !== undefined) {
      logError('Invoke Error', err);
      if (!stream.writableEnded) {
        stream.failure = toErrorResponse(err);
      }
    }
    inv.completed = true;
    if (!stream.writableEnded) stream.end();
    const wait = () =>
      stream.response
        .then(checkPosted(`streamed result of ${id}`), (e) => die(`cannot stream the result of ${id}: ${e}`))
        .then(next);
    if (stream.writableFinished) whenFlushed(wait);
    else stream.once('finish', () => whenFlushed(wait));
  };
  onBeforeExit = () => {};
  try {
    attachInvokeData(context, headers);
    const result = handler(JSON.parse(body), stream, context);
    if (!result || typeof result.then !== 'function') {
      return finish(new InvalidStreamingOperation('Streaming does not support non-async handlers.'));
    }
    result.then(
      (value) => {
        if (value !== undefined) console.warn('Streaming handlers ignore return values.');
        if (!stream.writableEnded) finish(new InvalidStreamingOperation('Response stream is not finished.'));
        else finish();
      },
      (err) => finish(err),
    );
  } catch (err) {
    finish(err);
  }
}

// ------------------------------------------------------------------ start

async function main() {
  if (!API) die('AWS_LAMBDA_RUNTIME_API is not set');
  patchConsole();
  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  try {
    handler = await loadHandler(appRoot, process.env._HANDLER || '');
    const streaming = handler[HANDLER_STREAMING];
    if (streaming !== undefined && streaming !== null && streaming !== false) {
      if (streaming !== STREAM_RESPONSE) throw new MalformedStreamingHandler('Only response streaming is supported.');
      handlerIsStreaming = true;
    }
    handlerIsAsync = handler.constructor?.name === 'AsyncFunction';
  } catch (error) {
    logError('Uncaught Exception', error);
    fatalError(error, 129);
    return;
  }
  fetchNext();
}

main();
