// Bundles the console into one directory of static files: index.html, console.js, console.css.
// Usage: node build.mjs <output directory>   (Maven passes server/target/classes/console)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2] ?? "dist";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/main.jsx"],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: ["chrome120", "firefox120"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outfile: join(out, "console.js"),
  legalComments: "linked",
  logLevel: "warning",
});
// One stylesheet: the console's own, then uPlot's.
writeFileSync(join(out, "console.css"),
  readFileSync("src/console.css", "utf8") + "\n" + readFileSync("node_modules/uplot/dist/uPlot.min.css", "utf8"));
copyFileSync("src/index.html", join(out, "index.html"));
