import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult } from '@duckdb/node-api';
import type { Table as ArrowTable } from 'apache-arrow';
import { EddyError } from '../core/errors.js';
import type * as DuckDBTransfer from './duckdb-transfer.js';
import { Table } from './table.js';

/** A SQL query DuckDB refused or failed to run; the message is DuckDB's own. */
export class SqlError extends EddyError {
  constructor(
    readonly engineMessage: string,
    readonly sql: string,
  ) {
    super(`SQL: ${engineMessage}`);
  }
}

/** Quotes an SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** An open DuckDB with the module that copies tables in and results out. */
interface OpenEngine {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  transfer: typeof DuckDBTransfer;
}

interface View {
  readonly table: Table;
  loaded: boolean;
}

/**
 * SQL over registered tables, executed by an embedded, in-memory DuckDB. Registering a view is
 * synchronous and free; the table is copied into DuckDB by the next query (and again only
 * after it is registered anew), column-wise. Queries are asynchronous because DuckDB's Node API
 * is. Call {@link close} when done, to free DuckDB's memory.
 */
export class SqlEngine {
  private readonly views = new Map<string, View>();
  /** Views dropped since the last query, still to be dropped in DuckDB. */
  private readonly dropped: string[] = [];
  private connection: Promise<OpenEngine> | undefined;

  /**
   * Registers (or replaces) a view: `name` then refers to `table` in queries. An Arrow table
   * (a graph result's `toTable()`, for one) is taken as it is.
   */
  createTemporaryView(name: string, table: Table | ArrowTable): void {
    const view = table instanceof Table ? table : Table.fromArrow(table, `view '${name}'`);
    this.views.set(name.toLowerCase(), { table: view, loaded: false });
  }

  /** Whether a view of that name is registered (names are case-insensitive, as in SQL). */
  hasView(name: string): boolean {
    return this.views.has(name.toLowerCase());
  }

  /** Removes a view; returns whether there was one. */
  dropTemporaryView(name: string): boolean {
    const view = this.views.get(name.toLowerCase());
    this.views.delete(name.toLowerCase());
    if (view?.loaded) this.dropped.push(name);
    return view !== undefined;
  }

  /** The names of the registered views. */
  listTemporaryViews(): string[] {
    return [...this.views.keys()];
  }

  private open(): Promise<OpenEngine> {
    // DuckDB is a native module of about half a second and 80 MB: it loads on the first query,
    // never with the public entry.
    this.connection ??= (async () => {
      const [{ DuckDBInstance }, transfer] = await Promise.all([
        import('@duckdb/node-api'),
        import('./duckdb-transfer.js'),
      ]);
      const instance = await DuckDBInstance.create(':memory:');
      return { instance, connection: await instance.connect(), transfer };
    })();
    return this.connection;
  }

  /** Runs a query over the registered views; the result is a bounded Table. */
  async sqlQuery(sql: string): Promise<Table> {
    const { connection, transfer } = await this.open();
    // Every view not yet in DuckDB is copied in: DuckDB's getTableNames misses tables in some
    // valid queries (a join with USING and an ORDER BY on an alias, for one).
    for (const name of this.dropped.splice(0))
      await connection.run(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
    for (const name of this.views.keys()) await this.load(connection, transfer, name);
    let result: DuckDBMaterializedResult;
    try {
      result = await connection.run(sql);
    } catch (error) {
      // Only the query itself is DuckDB's to refuse; its message is passed on as it is.
      throw new SqlError((error as Error).message, sql);
    }
    return Table.fromBatches([transfer.resultToBatch(result)], undefined, '<sql>');
  }

  private async load(
    connection: DuckDBConnection,
    transfer: typeof DuckDBTransfer,
    name: string,
  ): Promise<void> {
    const view = this.views.get(name.toLowerCase());
    if (view === undefined || view.loaded) return;
    const fields = view.table.toArrow().schema.fields;
    const names = fields.map((field) => field.name);
    const types = fields.map((field) => transfer.duckDBTypeOf(field.type, field.name, `view '${name}'`));
    const definition = names.map((column, j) => `${quoteIdentifier(column)} ${types[j]}`).join(', ');
    await connection.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(name)} (${definition})`);
    const appender = await connection.createAppender(name);
    for (const batch of view.table.getBatches()) transfer.appendBatch(appender, batch, types);
    appender.closeSync();
    view.loaded = true;
  }

  /** Closes DuckDB. The engine can be used again afterwards (a new DuckDB is started). */
  async close(): Promise<void> {
    const opened = this.connection;
    this.connection = undefined;
    if (opened === undefined) return;
    const { instance, connection } = await opened;
    connection.closeSync();
    instance.closeSync();
    for (const view of this.views.values()) view.loaded = false;
    this.dropped.length = 0;
  }
}
