// `newsflow serve` (what `npm start` runs): the server built by the composition root (src/server).
export { runServer as serveCommand } from '../server/index.ts';
