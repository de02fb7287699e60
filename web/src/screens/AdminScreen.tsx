/** The staff admin, after DRF's admin site: a Tokens section, a Login tokens section (knox's), a Users section and the Security log. */
import { useState } from 'react';
import { AdminLoginTokens } from './AdminLoginTokens';
import { AdminTokens } from './AdminTokens';
import { AdminUsers } from './AdminUsers';
import { AdminSecurityLog } from './AdminSecurityLog';

type Section = 'tokens' | 'login-tokens' | 'users' | 'security';

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
        {tab('security', 'Security log')}
      </div>
      <div role="tabpanel" id="admin-panel" aria-labelledby={`admin-tab-${section}`}>
        {section === 'tokens' ? <AdminTokens /> : section === 'login-tokens' ? <AdminLoginTokens /> : section === 'users' ? <AdminUsers /> : <AdminSecurityLog />}
      </div>
    </section>
  );
}
