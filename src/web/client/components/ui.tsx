/** Small pieces every page uses: the document title, loading and error notes, numbers. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ApiError } from '../api';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · astroarchive` : 'astroarchive';
  }, [title]);
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="note" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, children }: { error: ApiError | Error; children?: ComponentChildren }) {
  return (
    <div class="error" role="alert">
      <strong>Could not load this.</strong> {error.message} {children}
    </div>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

/** A time as every page shows one: date and time in UTC, whatever the reader's zone. */
export function formatUtc(iso: string): string {
  return `${new Date(iso).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A status word with a colour class (INGESTED, INVALID, FAILED, draft, published, ...). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{status.toLowerCase()}</span>;
}
