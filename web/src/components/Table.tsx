import { type ReactNode, useMemo, useState } from 'react';

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  readonly render: (row: T) => ReactNode;
  /** the value sorted by; columns without one do not sort */
  readonly sort?: (row: T) => string | number;
  readonly className?: string;
}

/** A table whose headers sort it (buttons, so keyboard users can too); aria-sort tells screen readers. */
export function SortableTable<T>({
  rows,
  columns,
  rowKey,
  initial,
  caption,
  empty = 'Nothing to show.',
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T, index: number) => string;
  initial?: { key: string; dir: 'asc' | 'desc' };
  caption?: string;
  empty?: string;
}) {
  const [order, setOrder] = useState(initial);
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === order?.key);
    if (!col?.sort || !order) return rows;
    const f = col.sort;
    const dir = order.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = f(a);
      const y = f(b);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
  }, [rows, columns, order]);
  if (rows.length === 0) return <p className="muted empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => {
              const active = order?.key === c.key;
              const aria = active ? (order?.dir === 'asc' ? 'ascending' : 'descending') : 'none';
              return (
                <th key={c.key} scope="col" aria-sort={c.sort ? aria : undefined} className={c.className}>
                  {c.sort ? (
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        setOrder({ key: c.key, dir: active && order?.dir === 'desc' ? 'asc' : 'desc' })
                      }
                    >
                      {c.label}
                      <span aria-hidden="true">{active ? (order?.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r, i) => (
            <tr key={rowKey(r, i)}>
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
