import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, migrate, type Migration } from './migrations.ts';

const step = (version: number): Migration => ({ version, description: `step ${version}`, sql: `CREATE TABLE t${version} (x INTEGER);` });
const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name").pluck().all();
const recorded = (db: Database.Database) => db.prepare('SELECT version FROM kontext_migrations ORDER BY version').pluck().all();

test('a new database gets every migration, each recorded, and user_version at the highest', () => {
  const db = new Database(':memory:');
  assert.equal(migrate(db), Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)));
  assert.deepEqual(recorded(db), SQLITE_MIGRATIONS.map((m) => m.version));
  assert.equal(db.pragma('user_version', { simple: true }), Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)));
  assert.equal(migrate(db), Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)), 'a second run applies nothing and changes nothing');
  db.close();
});

test('a database from before the record table counts its user_version as applied and gets only the newer steps', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t1 (x INTEGER); CREATE TABLE t2 (x INTEGER); PRAGMA user_version = 2;');
  assert.equal(migrate(db, [step(1), step(2), step(3)]), 3);
  assert.deepEqual(tables(db), ['t1', 't2', 't3']);
  assert.deepEqual(recorded(db), [1, 2, 3]);
  db.close();
});

test('a step missing from the record is applied even when later steps are recorded (no gap is skipped)', () => {
  const db = new Database(':memory:');
  migrate(db, [step(1), step(2), step(4)]);
  assert.equal(migrate(db, [step(1), step(2), step(3), step(4)]), 4);
  assert.deepEqual(tables(db), ['t1', 't2', 't3', 't4']);
  assert.deepEqual(recorded(db), [1, 2, 3, 4]);
  assert.equal(db.pragma('user_version', { simple: true }), 4);
  db.close();
});

test('a failing step rolls back whole and is not recorded; the steps before it stay', () => {
  const db = new Database(':memory:');
  const broken: Migration = { version: 2, description: 'broken', sql: 'CREATE TABLE t2 (x INTEGER); INSERT INTO nowhere VALUES (1);' };
  assert.throws(() => migrate(db, [step(1), broken, step(3)]), /no such table: nowhere/);
  assert.deepEqual(tables(db), ['t1']);
  assert.deepEqual(recorded(db), [1]);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  db.close();
});
