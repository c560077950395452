// k6 beside stacklab load (bench/load-vs-wrk.sh): RATE requests/s for SECONDS over CONNECTIONS VUs, or a
// closed loop of CONNECTIONS VUs when RATE is "max". Response bodies are discarded, as stacklab does.
import http from 'k6/http';

const closed = __ENV.RATE === 'max';
export const options = {
    discardResponseBodies: true,
    summaryTrendStats: ['p(50)', 'p(99)', 'max'],
    scenarios: {
        load: closed
            ? { executor: 'constant-vus', vus: Number(__ENV.CONNECTIONS), duration: `${__ENV.SECONDS}s` }
            : {
                  executor: 'constant-arrival-rate',
                  rate: Number(__ENV.RATE),
                  timeUnit: '1s',
                  duration: `${__ENV.SECONDS}s`,
                  preAllocatedVUs: Number(__ENV.CONNECTIONS),
                  maxVUs: Number(__ENV.CONNECTIONS),
              },
    },
};

export default function () {
    http.get(__ENV.URL);
}
