/**
 * The sha256 of every hook script an earlier mpm shipped (each version in the history of
 * `hooks/NAME.sh`). A script holding one of them is mpm's own code at an older version, whoever
 * put it there: install updates it quietly and doctor may run it. Anything else in a scripts
 * folder is the person's only when this machine's install recorded it (install_record.ts).
 * tests/hooks/install/hooks_history_test.ts fails when a version in git's history is missing here:
 * add the sha256 of the script as it was before a change to the list of its name.
 */
import type { HookScript } from "../../../claude/settings/hooks/hook_entries.ts";

export const OLDER_SHIPPED: Readonly<Record<HookScript, readonly string[]>> = {
  "pre-session": [
    "0231e573c474bb1bf8214387dbe73c07fa19eaa6ef7d621d68f10fbe6bad0dc7",
    "3b014c88af0fad053efe766625ccc4048c87f7801bcdd4ba6fd0e7e51ada0cae",
    "59594f60b745e0baf521ae004b104a53f6907637af094299b9ad80ce96a2adfa",
    "6bb433bae712cdfd17309722a72931fc8f277a9689e5320148aef15c25933f22",
    "7e30f74656dc13fbe2f61ffcf863ed01b557a49ae3cb71dfdb101364a94e354b",
  ],
  "post-session": [
    "0003d86118161c7afe30b3e3f3bf80d782dd7cd780fb346cccd6aaaaee2641c0",
    "1f1e7143d10b3fd3f6d1e5989b34316f1fdc50a440779b04fbb4060df12d7735",
    "311a3be36bab1d8611e3d242986e2c91ba8e514f4800d1065db3ed34fa1bcf83",
    "94c59ea793c2f094b793207141b3c3c69ceceecf1aacbcc952df0ddab230fe0c",
  ],
  "checkpoint": [
    "0bce63a8a61efd909c170423695aae95a7675ca64585059c5b88875d1582649a",
    "14ce155580eff4c645c153c5e3acb5fb497899eab68e9fcd55781616842572d7",
    "387d1d99b178715a0a15502f720071eba5ed21944637c40b36fef55c87b917cd",
    "43521f4a3c76b3d19a832de30977487139cd91659254ff0a7da1874f36155e44",
    "45cd5c72734b0ab20499714f324675c9e9cf651aa145b33c26cbda9a81eff8c6",
    "4c99c2e6ccde5b4bc818bec007d3a0dc607af03f4153ea53877c8c8999ed48dc",
    "4e9a9186db30e5f9134e3618fd380c14a11abd070b54723151ce1b75c4e11c42",
    "6d5a536124cde847a1ff817b7f87b53945b6a2bbb20c68e8cc5ed37c7b38ac32",
    "7c0f9687982619326f9a10999a5e9aeefc48a3d51d781552d73bcb27794a8615",
  ],
  "on-error": [
    "61aa24e67060ff83ee6be8b2e550a64de931e3c370a369a40150778a9a6b2f4a",
    "9bf9cecad7c8b6b3b2ee6a430cf272e1de30f3d39896768418ddde0e63c2c7a4",
    "e765be77f377914aa961bee83a37d134b8f9a475b04165c899a23a98336b3ed9",
    "fea0b834ddd1aadb43b8b733f2cd7f6c6d1081099c9f72066da9f08f71f43e8b",
  ],
};
