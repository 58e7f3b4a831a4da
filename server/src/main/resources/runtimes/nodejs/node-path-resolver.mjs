// Kindling's module resolution hook for Node.js runtimes (registered by bootstrap.mjs): a bare specifier that the
// default resolution cannot find (the function's code and its node_modules) is looked up in each NODE_PATH directory
// in turn, as require() does for CommonJS.
import { pathToFileURL } from 'node:url';

let directories = [];

export async function initialize(data) {
  directories = Array.isArray(data) ? data : [];
}

function isBare(specifier) {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) {
      throw error;
    }
    for (const directory of directories) {
      // A parent inside the directory's parent makes the resolver look in the directory itself when it is a
      // node_modules folder, and in <directory>/node_modules otherwise.
      const base = directory.replace(/\/+$/, '');
      const parent = base.endsWith('/node_modules') ? base.slice(0, -'/node_modules'.length) : base;
      try {
        return await nextResolve(specifier, { ...context, parentURL: pathToFileURL(parent + '/kindling-resolver.mjs').href });
      } catch {
        // not in this directory
      }
    }
    throw error;
  }
}
