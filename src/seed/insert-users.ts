// Writes the planned people to the users table, manager links included.
import type { SqlClient } from '../infra/database/sql-client.js';
import { EPOCH_SECONDS, insertStatement, percent, Rows } from './bulk-insert.js';
import type { SeedContext } from './context.js';

/**
 * Users in id order, one batch at a time: a manager_id may only point to a committed row or one in the
 * same statement. Those pointing into a later batch are set afterwards by an UPDATE.
 */
export async function insertUsers(sql: SqlClient, { people, batchSize, log }: SeedContext): Promise<void> {
  const rows = new Rows('users', [
    { name: 'id', type: 'int' },
    { name: 'email', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'role', type: 'text', value: 'v::"Role"' },
    { name: 'city', type: 'text' },
    { name: 'country', type: 'text' },
    { name: 'manager_id', type: 'int' },
    { name: 'active', type: 'bool' },
    { name: 'created_at', ...EPOCH_SECONDS },
    { name: 'updated_at', ...EPOCH_SECONDS },
  ]);
  const later = new Rows('users', [
    { name: 'id', type: 'int' },
    { name: 'manager_id', type: 'int' },
  ]);
  for (let start = 0; start < people.length; start += batchSize) {
    const batch = people.slice(start, start + batchSize);
    const lastId = batch[batch.length - 1]!.id;
    for (const p of batch) {
      const managerId = p.manager && p.manager.id <= lastId ? p.manager.id : null;
      if (p.manager && managerId === null) later.push(p.id, p.manager.id);
      const name = `${p.firstName} ${p.lastName}`;
      rows.push(p.id, p.email, name, p.role, p.city.name, p.city.country, managerId, p.active, p.createdAt, p.updatedAt);
    }
    const { text, params } = insertStatement(rows);
    await sql.query(text, params);
    log(`users ${percent(start + batch.length, people.length)}`);
  }
  const pending = later.take();
  for (let start = 0; start < pending[0]!.length; start += batchSize) {
    await sql.query(
      `UPDATE users SET manager_id = m.manager_id
       FROM unnest($1::int[], $2::int[]) AS m(id, manager_id) WHERE users.id = m.id`,
      pending.map((column) => column.slice(start, start + batchSize)),
    );
  }
}
