/** A made-up team of three, as `mpm board --json` would print it: the README's picture. */
import type { Board } from "../../src/board/board_model.ts";

const strip = (...days: number[]) => [...new Array(14 - days.length).fill(0), ...days];

export const DEMO: Board = {
  generated: "2026-11-24T16:00:00.000Z",
  since_days: 14,
  people: [
    {
      email: "dana@example.com",
      name: "Dana",
      you: true,
      verified: true,
      pauses: strip(1, 0, 2, 3, 0, 0, 1, 2, 4, 1, 0, 2, 3),
      work: [{
        name: "Refunds",
        key: "s-1",
        state: "paused",
        moved: "2026-11-24T14:10:00.000Z",
        words: "Refund API done; partial refunds still round the wrong way",
        next: "Fix rounding in partialRefund()",
        todos_open: 2,
        todos_done: 3,
        branch: "feature/refunds",
        files: ["src/payments/refund.ts", "src/payments/money.ts", "tests/refund_test.ts"],
      }, {
        name: "Login outage",
        key: "s-2",
        state: "branched",
        moved: "2026-11-23T09:30:00.000Z",
        words: "Session cookie lost on redirect; hotfix on its own branch",
        next: "Ship the hotfix, then return",
        todos_open: 1,
        todos_done: 1,
        branch: "hotfix/login",
        files: ["src/auth/session.ts"],
      }],
    },
    {
      email: "alice@example.com",
      name: "Alice",
      you: false,
      verified: true,
      pauses: strip(2, 1, 0, 1, 3, 2, 0, 0, 2, 1, 3, 1, 2, 1),
      work: [{
        name: "Payouts",
        key: "s-3",
        state: "paused",
        moved: "2026-11-24T13:00:00.000Z",
        words: "Payout batches work end to end against the sandbox",
        next: "Share money.ts helpers with refunds",
        todos_open: 4,
        todos_done: 2,
        branch: "feature/payouts",
        files: ["src/payments/payout.ts", "src/payments/money.ts"],
      }],
    },
    {
      email: "bob@example.com",
      name: "Bob",
      you: false,
      verified: true,
      pauses: strip(0, 1, 1, 0, 2, 0, 1),
      work: [{
        name: "Checkout redesign",
        key: "s-4",
        state: "worktree",
        moved: "2026-11-24T11:45:00.000Z",
        words: "New cart page behind a flag; refunds link moved",
        next: "Review with design",
        todos_open: 3,
        todos_done: 5,
        branch: "feature/checkout",
        files: ["src/cart/page.tsx", "src/payments/refund.ts"],
      }],
    },
  ],
  overlaps: [
    {
      path: "src/payments/money.ts",
      work: [
        { email: "dana@example.com", name: "Refunds", you: true, verified: true },
        { email: "alice@example.com", name: "Payouts", you: false, verified: true },
      ],
    },
    {
      path: "src/payments/refund.ts",
      work: [
        { email: "dana@example.com", name: "Refunds", you: true, verified: true },
        { email: "bob@example.com", name: "Checkout redesign", you: false, verified: true },
      ],
    },
  ],
  handoffs: [{
    from: "alice@example.com",
    to: "dana",
    work: "Payouts",
    written_at: "2026-11-24T13:00:00.000Z",
    summary: "Take the currency rounding with you",
  }],
};
