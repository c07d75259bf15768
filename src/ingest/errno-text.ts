/**
 * A system error as users may see it: "ENOENT: no such file or directory", without the
 * ", open '/srv/archive/...'" Node appends. Issues and run errors are readable by anyone who
 * can read a published release, so they speak of paths relative to the release only.
 */
export function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = String(e?.message ?? err).replace(/, \w+ '.*$/s, '');
  return e?.code && !text.startsWith(e.code) ? `${e.code}: ${text}` : text;
}
