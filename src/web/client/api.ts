/**
 * GraphQL over fetch to this origin's /graphql, with the signed-in token as a Bearer header.
 * useQuery runs a query when its variables or the token change, aborts the one it replaces,
 * and keeps the previous data while the next page loads (lists do not flash empty).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getToken, setToken, useToken } from './auth';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal, token = getToken()): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`the server answered HTTP ${res.status}`, undefined, res.status);
  }
  if (res.status === 401 && token === getToken() && token) {
    // A revoked or expired token: forget it so the pages fall back to what anyone may see.
    setToken(null);
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(body.errors.map((e) => e.message).join('; '), first.extensions?.code, res.status);
  }
  if (!body.data) throw new ApiError(`the server answered HTTP ${res.status} without data`, undefined, res.status);
  return body.data;
}

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs `query` (skipped while `variables` is null); re-runs when the variables or the token change. */
export function useQuery<T>(query: string, variables: Record<string, unknown> | null): QueryState<T> {
  const token = useToken();
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{
    data?: T;
    error?: ApiError;
    loading: boolean;
  }>({ loading: variables !== null });
  const key = variables === null ? null : JSON.stringify(variables);
  const latest = useRef(0);
  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const id = ++latest.current;
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    gql<T>(query, JSON.parse(key) as Record<string, unknown>, ctl.signal, token).then(
      (data) => id === latest.current && setState({ data, loading: false }),
      (err: unknown) => {
        if (ctl.signal.aborted || id !== latest.current) return;
        setState({
          error: err instanceof ApiError ? err : new ApiError(String((err as Error)?.message ?? err)),
          loading: false,
        });
      },
    );
    return () => ctl.abort();
  }, [query, key, token, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) } as QueryState<T>;
}
