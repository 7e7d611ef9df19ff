/**
 * `npm run bench:size -- --modules`: what each source module costs, to find where bytes can come
 * from. A module's share of a chunk is the chunk's gzip -9 size minus that size with the module's
 * bytes taken out (the minified bytes the source map traces back to it), so code that repeats what
 * the rest of the chunk says costs little, as it does when gzipped. Bytes the map gives no source
 * (import and export lists, the preload lists Vite writes) are `(no module)`. Shares add up to a
 * little less than the total: the gzip dictionary a module leaves behind is shared.
 */
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';

export interface BuiltChunk {
  fileName: string;
  code: string;
  /** The chunk's source map (Rolldown's); chunks with no code of their own have none. */
  map: { sources: string[]; mappings: string } | null;
}

export interface ModuleShare {
  chunk: string;
  /** Source path relative to the repository, `node_modules/…` for packages, or `(no module)`. */
  module: string;
  /** Minified bytes traced to the module. */
  raw: number;
  /** Bytes it adds to the chunk's gzip -9 size. */
  gzip: number;
}

const NO_MODULE = -1;
const gzipBytes = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;

export function moduleShares(chunks: BuiltChunk[]): ModuleShare[] {
  const shares: ModuleShare[] = [];
  for (const { fileName, code, map } of chunks) {
    if (!map) continue;
    const owners = ownerOfEachByte(code, map.mappings);
    const total = gzipBytes(code);
    for (const source of new Set(owners)) {
      const rest = code
        .split('')
        .filter((_, index) => owners[index] !== source)
        .join('');
      shares.push({
        chunk: fileName,
        module: source === NO_MODULE ? '(no module)' : sourcePath(map.sources[source] ?? '?'),
        raw: code.length - rest.length,
        gzip: total - gzipBytes(rest),
      });
    }
  }
  return shares.sort((a, b) => b.gzip - a.gzip);
}

/** For each byte of `code`, the index of the source its mapping segment points to. */
function ownerOfEachByte(code: string, mappings: string): number[] {
  const owners: number[] = [];
  const lines = code.split('\n');
  const segmentsByLine = decode(mappings);
  lines.forEach((line, index) => {
    const segments = segmentsByLine[index] ?? [];
    const lineOwners = new Array<number>(line.length).fill(NO_MODULE);
    segments.forEach((segment, at) => {
      const end = segments[at + 1]?.[0] ?? line.length;
      lineOwners.fill(segment[1] ?? NO_MODULE, segment[0], end);
    });
    for (const owner of lineOwners) owners.push(owner);
    owners.push(NO_MODULE); // the newline
  });
  owners.pop();
  return owners;
}

/** Rolldown's sources are relative to the chunk (`../../web/x.ts`): keep the repository path. */
function sourcePath(source: string): string {
  return source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/');
}
