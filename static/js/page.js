// The page data the server embeds in every page (`#page-data`: the catalog, the shared lists of
// workshop/lists.py, who I am…), read on first use rather than on import: modules that only need a
// list or two (predict.js, socket.js) then also load under Node, where a test hands them the real
// server's lists with setPage().
let data = null;

export function page() {
  if (data === null) data = JSON.parse(document.getElementById("page-data").textContent);
  return data;
}

/** Tests under Node: the page data to answer instead of the document's. */
export function setPage(value) {
  data = value;
}

/** `PAGE.x` reads page().x when it is used. */
export const PAGE = new Proxy(
  {},
  {
    get: (_, name) => page()[name],
    has: (_, name) => name in page(),
    ownKeys: () => Reflect.ownKeys(page()),
    getOwnPropertyDescriptor: (_, name) => Object.getOwnPropertyDescriptor(page(), name),
  },
);
