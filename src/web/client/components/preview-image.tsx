/**
 * The preview PNG of an image or cube (GET /records/:id/preview.png), fetched (with the token
 * for a draft's, which an <img> cannot send) and shown from a blob: URL (allowed by the page's
 * img-src). Fetched rather than an <img src> so the page can read X-Astroarchive-Preview-Placeholder:
 * a file with nothing to draw gets a grey cross, which must not be captioned as a quick look.
 */
import { useEffect, useState } from 'preact/hooks';
import { getToken } from '../auth';

export function PreviewImage({ id, published, alt }: { id: string; published: boolean; alt: string }) {
  const url = `/records/${id}/preview.png`;
  const [src, setSrc] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(true);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setSrc(null);
    setError(null);
    const ctl = new AbortController();
    let objectUrl: string | null = null;
    const token = getToken();
    fetch(url, { headers: token && !published ? { authorization: `Bearer ${token}` } : {}, signal: ctl.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        setDrawn(res.headers.get('x-astroarchive-preview-placeholder') === null);
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
      {src ? <img src={src} alt={drawn ? alt : 'A grey cross: no picture of this file'} data-testid="preview" /> : <p class="note">Loading the preview…</p>}
      {src && !drawn ? (
        <figcaption class="warning-note" data-testid="preview-caption">
          This file could not be drawn (no pixel values to show): the grey cross stands in for a picture. The validation issues below say what is wrong with the file.
        </figcaption>
      ) : (
        <figcaption class="note small" data-testid="preview-caption">
          Quick look, at most 512 pixels a side: asinh stretch between the 0.5th and 99.5th percentiles, row 1 at the bottom as FITS draws it; a cube shows its middle plane.
        </figcaption>
      )}
    </figure>
  );
}
