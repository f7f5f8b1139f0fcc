// Hand-computed headline figures for the bundled samples (base units), also printed in
// samples/README.md. The test recomputes them with the small reference in ./reference.ts.
import type { Summary } from './reference.js';

const none = { exits: {}, flagged: {}, mixer: '0', held: '0', fees: '0', limit: '0' };

export const expected: Record<string, Summary> = {
  // ransomware-btc, seed ransom-payment:0 (or the ransom address), forward, --hops 10 (nothing cut)
  'btc-haircut': {
    ...none,
    traced: '150000000',
    exits: {
      Coinharbor: '34140000',
      'Lucky Satoshi Casino': '4500000',
      Nimbuspay: '769475',
      'Northbank Exchange': '31850000',
    },
    mixer: '3078025',
    held: '75641247',
    fees: '21253',
  },
  'btc-fifo': {
    ...none,
    traced: '150000000',
    exits: {
      Coinharbor: '34140000',
      'Lucky Satoshi Casino': '4500000',
      Nimbuspay: '1250000',
      'Northbank Exchange': '31850000',
    },
    mixer: '5000200',
    held: '73241176',
    fees: '18624',
  },
  // same seed, default --hops 3: the peel chain is cut after peel-2
  'btc-haircut-hops3': {
    ...none,
    traced: '150000000',
    exits: { Coinharbor: '21800000', Nimbuspay: '769475', 'Northbank Exchange': '14250000' },
    mixer: '3078025',
    held: '26149871',
    fees: '12514',
    limit: '83940115',
  },
  'btc-fifo-hops3': {
    ...none,
    traced: '150000000',
    exits: { Coinharbor: '21800000', Nimbuspay: '1250000', 'Northbank Exchange': '14250000' },
    mixer: '5000200',
    held: '23749800',
    fees: '9885',
    limit: '83940115',
  },
  // phishing-eth, seed drain-usdt, --asset USDT, default --hops 3
  'usdt-haircut': {
    ...none,
    traced: '40000000000',
    exits: { 'Northbank Exchange': '20762885710' },
    flagged: { 'AngelDrainer kit': '8000000000' },
    held: '11237114290',
  },
  'usdt-fifo': {
    ...none,
    traced: '40000000000',
    exits: { 'Northbank Exchange': '22000000000' },
    flagged: { 'AngelDrainer kit': '8000000000' },
    held: '10000000000',
  },
  // phishing-eth, seed drain-eth, ETH (the default asset), default --hops 3
  'eth-haircut': {
    ...none,
    traced: '12000000000000000000',
    exits: { Coinharbor: '4247787610619469027' },
    flagged: { 'AngelDrainer kit': '2216237014236244709' },
    mixer: '1846864178530203924',
    held: '3673842821392843407',
    fees: '15268375221238933',
  },
  'eth-fifo': {
    ...none,
    traced: '12000000000000000000',
    exits: { Coinharbor: '4600000000000000000' },
    flagged: { 'AngelDrainer kit': '1405985834000000000' },
    mixer: '2000000000000000000',
    held: '3978465622000000000',
    fees: '15548544000000000',
  },
};
