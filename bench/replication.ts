// Scenario (i): a private primary (initdb on a free port, through the test kit's private-postgres.ts) that
// holds the benchmark dataset, and a streaming replica of it (pg_basebackup -R). The machine's shared
// PostgreSQL cannot stand in: its pg_hba allows no replication connections, and it is not ours to change.
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startPrivatePostgres, startStandby, type PrivatePostgres } from '../test/kit/private-postgres.js';
import { type Dataset, type DatasetSize, prepareDataset } from './dataset.js';

export interface Replication {
  primaryUrl: string;
  replicaUrl: string;
  dataset: Dataset;
  destroy(): void;
}

/** Undefined (with the reason logged) when this machine has no PostgreSQL server binaries. */
export async function startReplication(size: DatasetSize, log: (message: string) => void): Promise<Replication | undefined> {
  if (!existsSync('/usr/lib/postgresql')) {
    log('(i) skipped: no PostgreSQL server binaries under /usr/lib/postgresql (initdb, pg_basebackup)');
    return undefined;
  }
  const servers: PrivatePostgres[] = [];
  const destroy = () => {
    for (const server of servers.reverse()) server.destroy();
  };
  try {
    // Settings a production primary would have for a replica to keep up; the rest as the kit's.
    const primary = await startPrivatePostgres({ settings: ['shared_buffers=256MB', 'max_wal_size=4GB'] });
    servers.push(primary);
    const admin = new pg.Client({ connectionString: primary.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const primaryUrl = primary.url.replace(/\/postgres$/, '/bench');
    log(`(i) private primary on port ${primary.port}: loading the dataset`);
    const dataset = await prepareDataset(primaryUrl, size, { reseed: false, log });
    log('(i) starting a streaming replica (pg_basebackup -R)');
    const replica = await startStandby(primary, { settings: ['shared_buffers=256MB'] });
    servers.push(replica);
    return { primaryUrl, replicaUrl: replica.url.replace(/\/postgres$/, '/bench'), dataset, destroy };
  } catch (error) {
    destroy();
    throw error;
  }
}
