/**
 * `profile --seconds N [--target ID] [--kind CPU|HEAP] --out FILE [--url U]`: ask a process to
 * sample itself (captureProfile), download the profile to FILE and print its top functions.
 * A busy target may still be writing the profile when the API stops waiting (PROFILE_PENDING,
 * with the URL where it will appear): then the command says so and waits on that URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { answerWithinSeconds } from '../../monitor/profile-timing.js';
import { formatTopFunctions, type ProfileFunction } from '../../monitor/profile-summary.js';
import { cliToken, createGraphQLClient, defaultGraphQLUrl, GraphQLRequestError } from '../graphql-client.js';
import { EXIT, intOption, UsageError, type CliIo } from '../io.js';

const HELP = `Usage: astroarchive profile --seconds <1-300> --out <file> [--target <process id>] [--kind CPU|HEAP] [--url <graphql url>] [--top N]

Ask an archive process to profile itself (node:inspector) and download the result.

  --seconds  how long to sample (1 to 300)
  --out      where to write the .cpuprofile / .heapprofile (open it in speedscope, Chrome
             DevTools or VS Code; the archive's web pages show it as an interactive flame graph: the page is printed below)
  --target   process id from \`astroarchive top\` or Query.processes (default: the API process)
  --kind     CPU (default: main thread and analysis threads) or HEAP (main thread)
  --url      GraphQL endpoint (default http://HOST:PORT/graphql from the environment)
  --top      rows of the top-functions table (default 20)

Needs an admin token: ARCHIVE_TOKEN, or ARCHIVE_HOME/admin-token.`;

const PROFILE_FIELDS = 'id processId kind seconds sampleCount url topFunctions { name file line selfPercent totalPercent }';

/** The profile's bytes; while it is not stored yet (HTTP 409), retry for up to `waitSeconds`. */
async function download(url: string, token: string | undefined, waitSeconds: number): Promise<Buffer> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.ok) return Buffer.from(await res.arrayBuffer());
    const text = await res.text();
    if (res.status !== 409 || Date.now() > deadline) {
      const still = res.status === 409 ? ' (still being written: it will appear there later)' : '';
      throw new GraphQLRequestError(`downloading ${url} failed: HTTP ${res.status} ${text}${still}`, 'DOWNLOAD');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface ProfileView {
  id: string;
  processId: string;
  kind: 'CPU' | 'HEAP';
  seconds: number;
  sampleCount: number;
  url: string;
  topFunctions: ProfileFunction[];
}

export async function profileCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      seconds: { type: 'string' },
      target: { type: 'string' },
      kind: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      top: { type: 'string' },
    },
  });
  if (values.help) {
    io.out(HELP + '\n');
    return EXIT.OK;
  }
  const seconds = intOption('--seconds', values.seconds, 1, 300);
  if (seconds === undefined) throw new UsageError('--seconds must be an integer from 1 to 300');
  if (!values.out) throw new UsageError('--out <file> is required');
  const kind = (values.kind ?? 'CPU').toUpperCase();
  if (kind !== 'CPU' && kind !== 'HEAP') throw new UsageError('--kind must be CPU or HEAP');
  const top = Number(values.top ?? 20);
  const config = loadConfig(io.env, io.cwd);
  const token = cliToken(config);
  const client = createGraphQLClient(values.url ?? defaultGraphQLUrl(config), token);
  try {
    io.err(`profiling ${values.target ?? 'the API process'} for ${seconds} s (${kind})...\n`);
    let p: ProfileView;
    let waitForStore = 0;
    try {
      ({ captureProfile: p } = await client.request<{ captureProfile: ProfileView }>(
        `mutation Profile($seconds: Int!, $target: String, $kind: ProfileKind) {
           captureProfile(seconds: $seconds, target: $target, kind: $kind) { ${PROFILE_FIELDS} } }`,
        { seconds, target: values.target ?? null, kind },
      ));
    } catch (err) {
      if (!(err instanceof GraphQLRequestError) || err.code !== 'PROFILE_PENDING') throw err;
      const { profileId, url } = err.extensions as { profileId: string; url: string };
      waitForStore = answerWithinSeconds(seconds);
      io.err(`profile ${profileId} is still being written: will appear at ${url}\nwaiting up to ${waitForStore} s more for it...\n`);
      await download(url, token, waitForStore);
      ({ profile: p } = await client.request<{ profile: ProfileView }>(`query($id: ID!) { profile(id: $id) { ${PROFILE_FIELDS} } }`, { id: profileId }));
    }
    const out = path.resolve(io.cwd, values.out);
    fs.writeFileSync(out, await download(p.url, token, waitForStore));
    io.out(
      `profile ${p.id}: ${p.kind} of ${p.processId}, ${p.seconds} s, ${p.sampleCount} samples\n` +
        `  saved to   ${out}\n  flame graph ${p.url.replace(/\.(cpu|heap)profile$/, '')}  (sign in on that page with the admin token)\n\n` +
        formatTopFunctions(p.topFunctions.slice(0, top)),
    );
    return EXIT.OK;
  } catch (err) {
    if (err instanceof GraphQLRequestError) {
      io.err(`astroarchive profile: ${err.message}\n`);
      return EXIT.UNAVAILABLE;
    }
    throw err;
  }
}
