/** Who is signed in (null: anonymous), provided by the layout to every page. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Viewer {
  tokenName: string;
  role: 'admin' | 'ingest';
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}
