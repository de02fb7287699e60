/** Every migration, in order. Add new ones at the end (`npx mikro-orm migration:create` writes the class). */
import { Migration20261123000000_initial } from './Migration20261123000000_initial';
import { Migration20261123000100_login_failures } from './Migration20261123000100_login_failures';
import { Migration20261123000200_admin_search } from './Migration20261123000200_admin_search';
import { Migration20261129000000_password_work } from './Migration20261129000000_password_work';
import { Migration20261129000100_login_tokens } from './Migration20261129000100_login_tokens';
import { Migration20261129000200_live_events } from './Migration20261129000200_live_events';
import { Migration20261203000000_token_kinds } from './Migration20261203000000_token_kinds';
import { Migration20261203000100_security_events } from './Migration20261203000100_security_events';
import { Migration20261203000200_access_tokens } from './Migration20261203000200_access_tokens';

export const migrationsList = [
  { name: 'Migration20261123000000_initial', class: Migration20261123000000_initial },
  { name: 'Migration20261123000100_login_failures', class: Migration20261123000100_login_failures },
  { name: 'Migration20261123000200_admin_search', class: Migration20261123000200_admin_search },
  { name: 'Migration20261129000000_password_work', class: Migration20261129000000_password_work },
  { name: 'Migration20261129000100_login_tokens', class: Migration20261129000100_login_tokens },
  { name: 'Migration20261129000200_live_events', class: Migration20261129000200_live_events },
  { name: 'Migration20261203000000_token_kinds', class: Migration20261203000000_token_kinds },
  { name: 'Migration20261203000100_security_events', class: Migration20261203000100_security_events },
  { name: 'Migration20261203000200_access_tokens', class: Migration20261203000200_access_tokens },
];
