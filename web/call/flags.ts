/**
 * Switches for the call engine, read from the page URL first, then from localStorage, so a test
 * can set them with a URL and a person debugging can set them once for their browser:
 *
 * | switch | URL            | localStorage              | effect                                           |
 * | ------ | -------------- | ------------------------- | ------------------------------------------------ |
 * | relay  | `?relay=1`     | `edgecall.relay = "1"`    | `iceTransportPolicy: 'relay'`: media only via TURN |
 * | debug  | `?debug=1`     | `edgecall.debug = "1"`    | negotiation steps narrated in the console        |
 *
 * `0` in the URL turns a switch off even when localStorage turns it on.
 */
export interface CallFlags {
  relay: boolean;
  debug: boolean;
}

type FlagStore = Pick<Storage, 'getItem'>;

export function readFlags(search: string, storage: FlagStore | undefined): CallFlags {
  const params = new URLSearchParams(search);
  const read = (name: keyof CallFlags): boolean => {
    const fromUrl = params.get(name);
    if (fromUrl !== null) return fromUrl !== '0' && fromUrl !== 'false';
    try {
      return storage?.getItem(`edgecall.${name}`) === '1';
    } catch {
      // Storage can throw (blocked cookies, some private modes): treat as unset.
      return false;
    }
  };
  return { relay: read('relay'), debug: read('debug') };
}

/** The flags of the current page. */
export function pageFlags(): CallFlags {
  let storage: FlagStore | undefined;
  try {
    storage = localStorage;
  } catch {
    storage = undefined;
  }
  return readFlags(location.search, storage);
}
