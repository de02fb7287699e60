/** Copies a value to the clipboard and says so for a moment; says so too when the browser refuses. */
import { useEffect, useState } from 'react';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  function copy() {
    // navigator.clipboard exists on secure origins only (https, localhost, 127.0.0.1).
    if (!navigator.clipboard) return setState('failed');
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  }

  return (
    <button type="button" className="button-small" aria-label={label} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Cannot copy: select the key' : 'Copy'}
    </button>
  );
}
