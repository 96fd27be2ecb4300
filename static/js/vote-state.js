// Voting rounds in the store: rounds, this person's dots (my_votes), live totals (round.promote: store.js).
// Pure functions on the store's state (no DOM, no imports): store.js applies them in seq order,
// and predict.js reads them for the optimistic overlay of this browser's unsent votes.
//
// The state keeps `extra.rounds` ([{id, target, budget, max_per_item, secret, card_kind, open, results, voters}])
// and `extra.my_votes` ([{round_id, target_id}]). Handlers never mutate what they find: they replace
// `state.extra` and the arrays in it, so a cloned state (the overlay) never leaks into the store.

let voterId = null;

/** Who "I" am: vote events carry the voter's id, and only mine count in my_votes. */
export function setVoter(id) {
  voterId = id;
}

export function roundsOf(state) {
  return (state && state.extra && state.extra.rounds) || [];
}
export function myVotesOf(state) {
  return (state && state.extra && state.extra.my_votes) || [];
}
export function roundById(state, id) {
  return roundsOf(state).find((r) => r.id === id) || null;
}

/** The round the board shows: the open one, else the last one opened (its results stay up). */
export function currentRound(state) {
  const rounds = roundsOf(state);
  return rounds.find((r) => r.open) || rounds[rounds.length - 1] || null;
}

/** My dots in a round: {total, per: Map(target_id → n)}. */
export function myDots(state, roundId) {
  const per = new Map();
  let total = 0;
  for (const v of myVotesOf(state)) {
    if (v.round_id !== roundId || !v.target_id) continue;
    per.set(v.target_id, (per.get(v.target_id) || 0) + 1);
    total += 1;
  }
  return {total, per};
}

export function dotsLeft(state, round) {
  return round ? Math.max(0, round.budget - myDots(state, round.id).total) : 0;
}

/** Totals by target (Map), or null when nobody may see them yet (a secret round still open). */
export function totals(round) {
  if (!round || !Array.isArray(round.results)) return null;
  return new Map(round.results.map((r) => [r.target_id, r.votes]));
}

const sortResults = (list) =>
  list.filter((r) => r.votes > 0).sort((a, b) => b.votes - a.votes || String(a.target_id).localeCompare(String(b.target_id)));

function putRound(s, round) {
  const rounds = roundsOf(s).slice();
  const i = rounds.findIndex((r) => r.id === round.id);
  if (i === -1) rounds.push(round);
  else rounds[i] = round;
  s.extra = {...s.extra, rounds};
}

function onVote(s, d, delta, meta) {
  const round = roundById(s, d.round_id);
  if (round) {
    const next = {...round};
    if (d.voters !== null && d.voters !== undefined) next.voters = d.voters;
    // Live totals: only where the round shows them (results not null) and this copy names the target.
    if (Array.isArray(round.results) && d.target_id && d.target_votes !== null && d.target_votes !== undefined) {
      const others = round.results.filter((r) => r.target_id !== d.target_id);
      next.results = sortResults(others.concat([{target_id: d.target_id, votes: d.target_votes}]));
    }
    putRound(s, next);
  }
  const mine = !!d.participant_id && (d.participant_id === voterId || !!(meta && meta.byMe) || !!d.predicted);
  if (d.target_id && mine) {
    const list = myVotesOf(s).slice();
    if (delta > 0) list.push({round_id: d.round_id, target_id: d.target_id});
    else {
      const i = list.findIndex((v) => v.round_id === d.round_id && v.target_id === d.target_id);
      if (i !== -1) list.splice(i, 1);
    }
    s.extra = {...s.extra, my_votes: list};
  }
}

export const VOTE_HANDLERS = {
  "round.open": (s, d) => putRound(s, {voters: 0, ...d}),
  "round.close": (s, d) => putRound(s, {...(roundById(s, d.id) || {}), ...d, open: false}),
  "vote.cast": (s, d, meta) => onVote(s, d, 1, meta),
  "vote.retract": (s, d, meta) => onVote(s, d, -1, meta),
};
