// Who this browser is on each board: tokens kept in localStorage, per map and per join code.

const MAP = (mapId) => `parcours:map:${mapId}`;
const JOIN = (code) => `parcours:join:${String(code).toUpperCase()}`;
const RECENT = "parcours:recent";

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}
function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode: memory only */
  }
}

export function tokenForMap(mapId) {
  return read(MAP(mapId));
}

export function rememberMap(mapId, entry) {
  write(MAP(mapId), {...(read(MAP(mapId)) || {}), ...entry});
}

export function forgetMap(mapId) {
  try {
    localStorage.removeItem(MAP(mapId));
  } catch {
    /* ignore */
  }
}

export function joined(code) {
  return read(JOIN(code));
}

export function rememberJoin(code, answer) {
  write(JOIN(code), answer);
  for (const mapId of answer.map_ids || []) rememberMap(mapId, {token: answer.token, participant_id: answer.participant.id});
}

export function forgetJoin(code) {
  try {
    localStorage.removeItem(JOIN(code));
  } catch {
    /* ignore */
  }
}

export function recent() {
  return read(RECENT) || [];
}

export function rememberRecent(item) {
  const list = recent().filter((x) => x.map_id !== item.map_id);
  list.unshift({...item, at: new Date().toISOString()});
  write(RECENT, list.slice(0, 12));
}

/** The token in the URL fragment (#token=…), stored for this map and removed from the address bar. */
export function takeFragmentToken(mapId) {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (!token) return null;
  const previous = tokenForMap(mapId);
  // A different token in the link replaces the stored identity entirely.
  write(MAP(mapId), previous && previous.token === token ? previous : {token});
  history.replaceState(null, "", location.pathname + location.search);
  return token;
}
