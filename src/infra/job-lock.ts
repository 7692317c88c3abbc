// Leases on named jobs in PostgreSQL (`job_locks`). Acquiring is one atomic statement that succeeds only
// when the lease is free or expired, and bumps the fencing token on every takeover. Only the holder renews
// or releases (by owner and token), and every result write checks the token in its own transaction, so a
// holder whose lease expired and was taken over can no longer write.
import type { PrismaClient } from '../generated/prisma/client.js';

export interface Lease {
  name: string;
  key: string;
  owner: string;
  fencingToken: bigint;
}

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(lease: Lease) {
    super(`lease ${lease.name}/${lease.key} (token ${lease.fencingToken}) is no longer held`);
  }
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export async function acquireLease(prisma: PrismaClient, name: string, key: string, owner: string, ttlMs: number): Promise<Lease | null> {
  const rows = await prisma.$queryRaw<{ fencing_token: bigint }[]>`
    INSERT INTO job_locks (name, key, owner, fencing_token, acquired_at, expires_at)
    VALUES (${name}, ${key}, ${owner}, 1, now(), now() + ${ttlMs} * interval '1 millisecond')
    ON CONFLICT (name, key) DO UPDATE
      SET owner = EXCLUDED.owner, fencing_token = job_locks.fencing_token + 1,
          acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
      WHERE job_locks.expires_at <= now()
    RETURNING fencing_token`;
  const row = rows[0];
  return row ? { name, key, owner, fencingToken: BigInt(row.fencing_token) } : null;
}

/** Extends a lease still held; false when it expired or was taken over. */
export async function renewLease(prisma: PrismaClient, lease: Lease, ttlMs: number): Promise<boolean> {
  const updated = await prisma.$executeRaw`
    UPDATE job_locks SET expires_at = now() + ${ttlMs} * interval '1 millisecond'
    WHERE name = ${lease.name} AND key = ${lease.key} AND owner = ${lease.owner}
      AND fencing_token = ${lease.fencingToken} AND expires_at > now()`;
  return updated === 1;
}

/** Ends a lease early; does nothing unless the caller still holds it. */
export async function releaseLease(prisma: PrismaClient, lease: Lease): Promise<void> {
  await prisma.$executeRaw`
    UPDATE job_locks SET expires_at = now()
    WHERE name = ${lease.name} AND key = ${lease.key} AND owner = ${lease.owner} AND fencing_token = ${lease.fencingToken}`;
}

/**
 * Runs `write` in a transaction that first confirms (and row-locks, so no takeover can interleave) that
 * the lease is still held with its token; throws LeaseLostError otherwise and writes nothing.
 */
export async function withFencedWrite<T>(prisma: PrismaClient, lease: Lease, write: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const held = await tx.$queryRaw<{ ok: boolean }[]>`
      SELECT (owner = ${lease.owner} AND fencing_token = ${lease.fencingToken} AND expires_at > now()) AS ok
      FROM job_locks WHERE name = ${lease.name} AND key = ${lease.key} FOR UPDATE`;
    if (!held[0]?.ok) throw new LeaseLostError(lease);
    return write(tx);
  });
}
