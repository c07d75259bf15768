/**
 * The preview PNG of an image or cube (GET /records/:id/preview.png). A published record's is a
 * plain <img>; a draft's needs the token, which an <img> cannot send, so it is fetched with the
 * Authorization header and shown from a blob: URL (allowed by the page's img-src).
 */
import { useEffect, useState } from 'preact/hooks';
import { getToken } from '../auth';

export function PreviewImage({ id, published, alt }: { id: string; published: boolean; alt: string }) {
  const url = `/records/${id}/preview.png`;
  const [src, setSrc] = useState<string | null>(published ? url : null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (published) return;
    const ctl = new AbortController();
    let objectUrl: string | null = null;
    const token = getToken();
    fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ctl.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        objectUrl = URL.createObjectURL(await res.blob());
        setSrc(objectUrl);
      })
      .catch((err: Error) => !ctl.signal.aborted && setError(err.message));
    return () => {
      ctl.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [id, published]);
  if (error) return <p class="error">The preview could not be loaded ({error}).</p>;
  return (
    <figure class="preview">
      {src ? <img src={src} alt={alt} data-testid="preview" /> : <p class="note">Loading the preview…</p>}
      <figcaption class="note small">Quick look, at most 512 pixels a side: asinh stretch between the 0.5th and 99.5th percentiles, row 1 at the bottom as FITS draws it; a cube shows its middle plane.</figcaption>
    </figure>
  );
}
