// express-rate-limit on 127.0.0.1, for the end-to-end tests of ratelimit-headers.
//
// Configured by environment variables:
//   MODE       legacy | draft-6 | draft-7 | draft-8   (the header mode)
//   LIMIT      requests per window                    (default 10)
//   WINDOW_MS  window length in milliseconds          (default 2000)
//   BURST_LIMIT, BURST_WINDOW_MS
//              draft-8 only: a second limiter stacked in front of the first
//   SKEW_MS    shifts this server's clock (Date.now, new Date(): the `Date` header and every
//              reset it computes) by this many milliseconds (default 0)
//
// Prints "listening <port>" on stdout once it accepts connections; stops on SIGTERM or when
// stdin closes (so it never outlives the test that started it).
'use strict';

const skew = Number(process.env.SKEW_MS || 0);
if (skew !== 0) {
  // The whole process sees a clock `skew` ms off: express-rate-limit's store and headers read
  // Date.now() and new Date(); the `Date` response header is set from the same clock below.
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate;
}

const express = require('express');
const { rateLimit } = require('express-rate-limit');

const mode = process.env.MODE || 'draft-7';
const limit = Number(process.env.LIMIT || 10);
const windowMs = Number(process.env.WINDOW_MS || 2000);

function limiter(name, limit, windowMs) {
  const options = {
    windowMs,
    limit,
    identifier: name,
    // The test's validations would only warn about loopback addresses.
    validate: false,
  };
  if (mode === 'legacy') {
    options.standardHeaders = false;
    options.legacyHeaders = true;
  } else {
    options.standardHeaders = mode;
    options.legacyHeaders = false;
  }
  return rateLimit(options);
}

const app = express();
// Node writes its own `Date` from the real clock; send the (possibly skewed) one instead.
app.use((req, res, next) => {
  res.setHeader('Date', new Date().toUTCString());
  next();
});
if (mode === 'draft-8' && process.env.BURST_LIMIT) {
  app.use(limiter('burst', Number(process.env.BURST_LIMIT), Number(process.env.BURST_WINDOW_MS || 1000)));
}
app.use(limiter(mode === 'draft-8' ? 'quota' : 'limit', limit, windowMs));
app.get('/', (req, res) => res.send('ok\n'));

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
