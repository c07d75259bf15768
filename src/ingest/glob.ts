/**
 * Glob patterns for product rules, matched against '/'-separated release paths:
 * `*` and `?` stay within one path segment, `**` crosses segments (`a/**\/b` also matches
 * `a/b`), `{x,y}` alternates, `[abc]` is a character class. A pattern without '/' matches
 * the file name in any directory, as .gitignore does, since "*.log" means every log file.
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.includes('/') ? pattern.replace(/^\//, '') : `**/${pattern}`;
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < anchored.length; i++) {
    const c = anchored[i];
    if (c === '*') {
      if (anchored[i + 1] === '*') {
        const slashAfter = anchored[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else if (c === '[') {
      const end = anchored.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = anchored.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  if (inBraces) throw new Error(`unclosed "{" in glob ${JSON.stringify(pattern)}`);
  return new RegExp(`^${re}$`);
}
