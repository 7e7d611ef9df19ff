/**
 * How presence travels between users' lines (the design: user-line.ts, Presence fan-out). A line
 * asks its contacts' lines for their presence when its first tab opens (`start`), hears their
 * changes (`heard`), announces its own user's changes to the contacts listening (`announce`), and
 * follows changes of the contact list (`contactsChanged`).
 */
import type { Person } from '../../protocol/user-line.ts';
import { Serial } from '../call-room/serial.ts';
import { usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { lineOf } from './handoff.ts';
import type { PresenceBook } from './presence-book.ts';
import type { PresenceStamp } from './rpc.ts';
import { contactsOf } from './store.ts';
import { lineLog, sendToAll } from './wire.ts';

export class Watching {
  /** Presence pushes leave one after another, never holding up the line's own queue. */
  readonly #pushes = new Serial();
  #pushQueued = false;

  constructor(
    private readonly env: Env,
    private readonly userId: string,
    private readonly book: PresenceBook,
    private readonly openTabs: () => WebSocket[],
  ) {}

  /** The first tab opened: listen to every contact. Throws when the contact list cannot be read. */
  async start(): Promise<void> {
    await this.#watchAll(await usingDatabase(this.env, (db) => contactsOf(db, this.userId)));
    this.book.setWatching(true);
  }

  /** A contact's line reports a change; false (stop telling me) when no tab is open here. */
  heard(contactId: string, stamp: PresenceStamp): boolean {
    const tabs = this.openTabs();
    if (tabs.length === 0) return false;
    if (this.book.see(contactId, stamp)) {
      sendToAll(tabs, { type: 'presence', contacts: [{ userId: contactId, presence: stamp.presence }] });
    }
    return true;
  }

  /** Tells the listening contacts if this user's presence changed; pushes that pile up go out as one. */
  announce(): void {
    if (!this.book.change(this.book.presence(this.openTabs().length)) || this.#pushQueued) return;
    this.#pushQueued = true;
    this.#pushes
      .run(() => {
        this.#pushQueued = false;
        return this.#tellWatchers();
      })
      .catch((error) => lineLog('presence_push_failed', error));
  }

  /** The contact list changed: listen to the new contacts, stop with the removed, tell the tabs. */
  async contactsChanged(): Promise<void> {
    if (this.openTabs().length === 0 && this.book.watchers().length === 0) return;
    let contacts: Person[];
    try {
      contacts = await usingDatabase(this.env, (db) => contactsOf(db, this.userId));
    } catch (error) {
      lineLog('contacts_unavailable', error);
      sendToAll(this.openTabs(), { type: 'contacts-changed' });
      return;
    }
    const ids = new Set(contacts.map((contact) => contact.userId));
    for (const watcher of this.book.watchers()) if (!ids.has(watcher)) this.book.dropWatcher(watcher);
    if (this.book.isWatching()) {
      const seen = new Set(this.book.seenIds());
      const removed = [...seen].filter((id) => !ids.has(id));
      for (const id of removed) this.book.forget(id);
      await Promise.allSettled(removed.map((id) => lineOf(this.env, id).unwatch(this.userId)));
      const added = contacts.filter((contact) => !seen.has(contact.userId));
      await this.#watchAll(added);
      const news = this.book.seen().filter((c) => added.some((contact) => contact.userId === c.userId));
      if (news.length > 0) sendToAll(this.openTabs(), { type: 'presence', contacts: news });
    }
    sendToAll(this.openTabs(), { type: 'contacts-changed' });
  }

  async #watchAll(contacts: Person[]): Promise<void> {
    const answers = await Promise.allSettled(contacts.map(({ userId }) => lineOf(this.env, userId).watch(this.userId)));
    answers.forEach((answer, i) => {
      const contact = contacts[i] as Person;
      const id = contact.userId;
      this.book.name(contact);
      if (answer.status === 'fulfilled') this.book.see(id, answer.value);
      else {
        lineLog('watch_failed', answer.reason);
        this.book.see(id, { presence: 'offline', version: 0 });
      }
    });
  }

  /** The presence at the moment of sending, so a push never carries an older one. */
  async #tellWatchers(): Promise<void> {
    const stamp = this.book.current();
    const watchers = this.book.watchers();
    const answers = await Promise.allSettled(
      watchers.map((id) => lineOf(this.env, id).presenceChanged(this.userId, stamp)),
    );
    answers.forEach((answer, i) => {
      const id = watchers[i] as string;
      if (answer.status === 'rejected') lineLog('presence_push_failed', answer.reason);
      else if (!answer.value) this.book.dropWatcher(id);
    });
  }
}
