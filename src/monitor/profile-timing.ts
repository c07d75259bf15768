/**
 * How long captureProfile waits for a target's answer. Its own module so the CLI, which
 * waits the same again for a late profile, does not load the database side to learn it.
 *
 * Past the requested duration: as long again as the capture, at least MIN_ANSWER_MARGIN_S,
 * for claiming, stopping threads, mapping positions and storing. A fixed 3 s was measured too
 * short while the target ingested (stored 0.25-2 s after the API gave up): a busy event loop
 * delays every step, and more so the longer the capture (bigger profiles).
 */
export const MIN_ANSWER_MARGIN_S = 10;

export function answerWithinSeconds(seconds: number): number {
  return seconds + Math.max(MIN_ANSWER_MARGIN_S, seconds);
}
