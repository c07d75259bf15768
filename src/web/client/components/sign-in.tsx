/**
 * The sign-in dialog: a token pasted once, checked against the API (viewer), then kept in
 * sessionStorage (auth.ts). A native <dialog> opened modally: focus moves into it, Escape
 * closes it, focus returns to the button that opened it.
 */
import { useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { setToken } from '../auth';
import type { Viewer } from './viewer';

export function SignInButton() {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = () => {
    setError(null);
    dialog.current?.showModal();
    input.current?.focus();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const token = input.current?.value.trim() ?? '';
    if (!token) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    try {
      const { viewer } = await gql<{ viewer: Viewer | null }>('{ viewer { tokenName role } }', {}, undefined, token);
      if (!viewer) throw new Error('the archive did not accept this token');
      setToken(token);
      if (input.current) input.current.value = '';
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="button-quiet" onClick={open}>
        Sign in
      </button>
      <dialog ref={dialog} aria-labelledby="sign-in-title" class="dialog">
        <form onSubmit={submit}>
          <h2 id="sign-in-title">Sign in with a token</h2>
          <p class="note">
            Paste an access token: the archive's admin token (the file <code>admin-token</code> in its <code>ARCHIVE_HOME</code>,{' '}
            <code>.astroarchive/admin-token</code> by default), or one an administrator made with <code>astroarchive tokens create</code>. It is kept in
            this tab only, until you sign out or close it.
          </p>
          <label for="sign-in-token">Access token</label>
          <input id="sign-in-token" ref={input} type="password" autocomplete="off" spellcheck={false} required />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="dialog-buttons">
            <button type="button" class="button-quiet" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" disabled={busy}>
              {busy ? 'Checking…' : 'Sign in'}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
