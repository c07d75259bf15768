/** Types of src/threads/prebuilt.mjs (plain JavaScript: the launcher reads it before tsx). */
import type { BuildOptions } from 'esbuild';

export const ROOT: string;
export const DIST: string;
export const MANIFEST: string;
export const CLI_OUTPUT: string;
export const THREAD_ENTRIES: readonly string[];
export function threadOutput(entry: string): string;
export function threadBuildOptions(entryPath: string, outfile: string): BuildOptions & { entryPoints: string[]; outfile: string };
export function threadBootstrap(bundleFileName: string): string;
export function builtFile(output: string): string | null;
export function trusted(p: string): boolean;
