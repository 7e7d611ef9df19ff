/**
 * The local Postgres starts from a checkout in a private folder (mode 700, like /root), also as
 * root, when the server runs as the `postgres` system user, and keeps its secrets private.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalPostgres } from './local-postgres.ts';
import { prepareClusterPlace } from './postgres-server.ts';

const privateFolder = mkdtempSync(join(tmpdir(), 'edgecall-private-'));
chmodSync(privateFolder, 0o700);
const dataDir = join(privateFolder, 'checkout/.data');
const asRoot = process.getuid?.() === 0;

afterAll(async () => {
  // As root the cluster lives outside the checkout (postgres-server.ts): remove that too.
  if (asRoot) rmSync(dirname((await prepareClusterPlace(dataDir)).dataDir), { recursive: true, force: true });
  rmSync(privateFolder, { recursive: true, force: true });
});

describe('the local Postgres of a checkout in a private folder', () => {
  it('starts, answers, keeps its lock and data private, and reopens with the same password', async () => {
    const first = await startLocalPostgres({ owner: 'local-postgres.test', dataDir });
    try {
      await first.createDatabase('probe');
      const client = new pg.Client({ connectionString: first.urlFor('probe') });
      await client.connect();
      const { rows } = await client.query('select current_user as who');
      // The password as Neon takes it, so the Worker's driver derives no SCRAM key per connection.
      const hba = await client.query('select type, address, auth_method from pg_hba_file_rules');
      const { rows: limits } = await client.query('show max_connections');
      await client.end();
      expect(rows).toEqual([{ who: 'postgres' }]);
      expect(hba.rows).toEqual([{ type: 'host', address: '127.0.0.1', auth_method: 'password' }]);
      // Room for the connections of 1,000 call rooms opening at once (npm run bench:signaling).
      expect(limits).toEqual([{ max_connections: '300' }]);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'postgres.lock')).mode & 0o777).toBe(0o600);
    } finally {
      await first.stop();
    }
    const again = await startLocalPostgres({ owner: 'local-postgres.test', dataDir });
    try {
      expect(new URL(again.urlFor('probe')).password).toBe(new URL(first.urlFor('probe')).password);
      await again.dropDatabase('probe');
    } finally {
      await again.stop();
    }
  });

  it('gives a cluster made when the password was "postgres" a random one', async () => {
    const place = await prepareClusterPlace(dataDir);
    const before = await startLocalPostgres({ owner: 'local-postgres.test', dataDir });
    try {
      await query(before.urlFor('postgres'), "ALTER ROLE postgres PASSWORD 'postgres'");
    } finally {
      await before.stop();
    }
    rmSync(place.passwordFile);

    const after = await startLocalPostgres({ owner: 'local-postgres.test', dataDir });
    try {
      const password = new URL(after.urlFor('postgres')).password;
      expect(password).not.toBe('postgres');
      expect(readFileSync(place.passwordFile, 'utf8').trim()).toBe(decodeURIComponent(password));
      await query(after.urlFor('postgres'), 'select 1');
    } finally {
      await after.stop();
    }
  });
});

async function query(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
