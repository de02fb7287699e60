/** The admin's search bar: type, then Search (or Enter); clearing the box shows everything again. */
import { useState, type FormEvent } from 'react';

export function SearchBox({ label, onSearch }: { label: string; onSearch: (search: string) => void }) {
  const [value, setValue] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(value.trim());
  }
  return (
    <form className="search" role="search" onSubmit={submit}>
      <input type="search" aria-label={label} placeholder={label} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button-small">
        Search
      </button>
    </form>
  );
}
