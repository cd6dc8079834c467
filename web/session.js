// session: who is signed in, as /api/v1/me says: {user, local}. The
// header and the admin pages read it; it changes on sign-in and sign-out.
import { api } from './api.js';

const listeners = new Set();

export const session = {
  user: null,        // {id, name, admin} when signed in
  local: false,      // local mode: no accounts, no sign-in
  known: false,      // /api/v1/me answered
  async refresh() {
    try {
      const me = await api.me();
      this.user = me.user || null;
      this.local = !!me.local;
    } catch (err) {
      this.user = null;
      this.local = false;
      if (err.status !== 401) throw err;
    } finally {
      this.known = true;
      for (const fn of listeners) fn(this);
    }
    return this;
  },
  get signedIn() {
    return this.local || !!this.user;
  },
  get admin() {
    return this.local || !!(this.user && this.user.admin);
  },
  onChange(fn) {
    listeners.add(fn);
  },
};
