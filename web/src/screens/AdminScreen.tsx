/** The staff admin, after DRF's admin site: a Tokens section, a Login tokens section (knox's) and a Users section. */
import { useState } from 'react';
import { AdminLoginTokens } from './AdminLoginTokens';
import { AdminTokens } from './AdminTokens';
import { AdminUsers } from './AdminUsers';

type Section = 'tokens' | 'login-tokens' | 'users';

export function AdminScreen() {
  const [section, setSection] = useState<Section>('tokens');
  const tab = (name: Section, label: string) => (
    <button type="button" role="tab" id={`admin-tab-${name}`} aria-selected={section === name} aria-controls="admin-panel" className={section === name ? 'tab tab-active' : 'tab'} onClick={() => setSection(name)}>
      {label}
    </button>
  );
  return (
    <section className="card" aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <div role="tablist" aria-label="Sections" className="tabs">
        {tab('tokens', 'Tokens')}
        {tab('login-tokens', 'Login tokens')}
        {tab('users', 'Users')}
      </div>
      <div role="tabpanel" id="admin-panel" aria-labelledby={`admin-tab-${section}`}>
        {section === 'tokens' ? <AdminTokens /> : section === 'login-tokens' ? <AdminLoginTokens /> : <AdminUsers />}
      </div>
    </section>
  );
}
