// vitest's global setup: the machine-wide test users exist before any test file starts a fleet.
// A fleet node sees /etc through an overlay of this machine's /etc; useradd replaces /etc/passwd
// and /etc/shadow by rename, and an overlay mounted before that may keep showing the old files
// (changing a lower layer under a mounted overlay is undefined). On a fresh machine, a user
// created mid-run was then unknown to fleets already up: its key login failed as "auth".
import { ensureBecomeUsers, ensureBrokenLoginUsers } from '../../sandbox/fleet/users.js';

export default async function setup(): Promise<void> {
  // Without root (or without sudo's visudo yet) the fleets' own start says what is missing.
  if (process.getuid?.() !== 0) return;
  try {
    await ensureBecomeUsers();
    await ensureBrokenLoginUsers();
  } catch {
    // Left to the fleets: they install their prerequisites first, then create the users.
  }
}
