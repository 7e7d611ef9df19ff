/**
 * `npm run deploy`'s first step (package.json "predeploy"): wrangler refuses to start on a Node.js
 * older than its `engines` allow (dev and tests still run there), so say which Node deploy needs, in
 * one sentence, before building anything.
 */
import { readFileSync } from 'node:fs';

const { engines, version } = JSON.parse(
  readFileSync(new URL('../node_modules/wrangler/package.json', import.meta.url), 'utf8'),
) as { engines: { node: string }; version: string };

/** wrangler states its minimum as `>=X.Y.Z`. */
const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines.node.trim());
if (!minimum) throw new Error(`Unexpected wrangler engines.node: ${engines.node}`);
const needed = minimum.slice(1).map(Number);
const current = process.versions.node.split('.').map(Number);
const order = current.map((part, i) => part - (needed[i] ?? 0)).find((difference) => difference !== 0) ?? 0;
if (order < 0) {
  console.error(
    `\nnpm run deploy needs Node.js ${needed.join('.')} or newer (wrangler ${version} refuses older ones), ` +
      `and this is Node.js ${process.versions.node}: install Node 22 or 24 LTS (npm run dev and npm test still work on this one).\n`,
  );
  process.exit(1);
}
