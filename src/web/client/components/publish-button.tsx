/**
 * An admin's Publish button with its confirmation: a modal <dialog> that says what publishing
 * does (public to everyone, no more ingests, cannot be undone) and names the release on the
 * confirming button. The server has the last word (a run still going is a CONFLICT, shown).
 */
import { useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { PUBLISH_MUTATION } from '../release/graphql';
import { formatCount } from './ui';

export function PublishButton({ id, label, files, onPublished }: { id: string; label: string; files: number; onPublished(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      await gql(PUBLISH_MUTATION, { id });
      dialog.current?.close();
      onPublished();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => (setError(null), dialog.current?.showModal())}>
        Publish…
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby="publish-title" aria-describedby="publish-what">
        <h2 id="publish-title">Publish {label}?</h2>
        <p id="publish-what">
          Its {formatCount(files)} files become visible to everyone, without a token, and the release can no longer change: no more ingests into it. This cannot be
          undone.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="button-quiet" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <button type="button" class="button-danger" disabled={busy} onClick={publish}>
            {busy ? 'Publishing…' : `Publish ${label}`}
          </button>
        </div>
      </dialog>
    </>
  );
}
