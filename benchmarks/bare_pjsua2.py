"""A bare pjsua2 user agent: the reference OctaSIP's engine is compared with.

Roles:
  callee: register and auto-answer every call, until killed.
  caller: register, place N calls (makeCall -> CONFIRMED, then hang up), print JSON timings.

Same settings as OctaSIP where it matters (TLS 1.2, TCP_NODELAY, null audio device, SRTP policy),
but no threads, queues or events of ours.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import pjsua2 as pj


def make_endpoint(bind: str) -> pj.Endpoint:
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.logConfig.level = 0
    cfg.logConfig.consoleLevel = 0
    cfg.medConfig.clockRate = 16000
    cfg.medConfig.sndClockRate = 16000
    cfg.medConfig.ecTailLen = 0
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    return ep


def tls_transport(ep: pj.Endpoint, bind: str, ca: str) -> int:
    tc = pj.TransportConfig()
    tc.boundAddress = bind
    tc.publicAddress = bind
    nodelay = pj.SockOptParams()
    nodelay.sockOpts.append(pj.SockOpt(6, 1, 1))
    tc.tlsConfig.CaListFile = ca
    tc.tlsConfig.verifyServer = True
    tc.tlsConfig.method = pj.PJSIP_TLSV1_2_METHOD
    tc.tlsConfig.sockOptParams = nodelay
    return ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tc)


class Acc(pj.Account):
    def __init__(self) -> None:
        super().__init__()
        self.registered = False
        self.calls: list[pj.Call] = []

    def onRegState(self, prm):
        self.registered = prm.code // 100 == 2 and prm.expiration > 0

    def onIncomingCall(self, prm):
        c = Call(self, prm.callId)
        op = pj.CallOpParam(True)
        op.statusCode = 200
        c.answer(op)
        self.calls.append(c)


class Call(pj.Call):
    def __init__(self, acc, cid=pj.PJSUA_INVALID_ID):
        super().__init__(acc, cid)
        self.state = -1
        self.confirmed_at = 0.0

    def onCallState(self, prm):
        ci = self.getInfo()
        self.state = ci.state
        if ci.state == pj.PJSIP_INV_STATE_CONFIRMED and not self.confirmed_at:
            self.confirmed_at = time.perf_counter()

    def onCallMediaState(self, prm):
        ci = self.getInfo()
        medias = ci.media
        for m in medias:
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                pass  # null device: nothing to connect for timing


def account(ep, args, tid) -> Acc:
    ac = pj.AccountConfig()
    ac.idUri = f"sip:{args.user}@{args.domain}"
    ac.regConfig.registrarUri = f"sip:{args.domain}:{args.port};transport=tls"
    ac.sipConfig.proxies.append(f"sip:{args.domain}:{args.port};transport=tls;lr")
    ac.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", args.user, 0, args.password))
    ac.sipConfig.transportId = tid
    ac.natConfig.sipOutboundUse = 0
    ac.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
    ac.mediaConfig.srtpSecureSignaling = 1
    acc = Acc()
    acc.create(ac)
    return acc


def pump(ep, until, timeout=10.0):
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:
        ep.libHandleEvents(1)
    if not until():
        print("timed out", file=sys.stderr, flush=True)
        os._exit(3)  # skip destructors of half-made calls


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["caller", "callee"])
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--domain", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True, help="registrar TLS port")
    p.add_argument("--ca", required=True)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--target", default="")
    p.add_argument("--calls", type=int, default=10)
    args = p.parse_args()
    ep = make_endpoint(args.bind)
    tid = tls_transport(ep, args.bind, args.ca)
    ep.libStart()
    acc = account(ep, args, tid)
    pump(ep, lambda: acc.registered)
    if args.role == "callee":
        print("ready", flush=True)
        try:
            while True:
                ep.libHandleEvents(20)
                acc.calls = [c for c in acc.calls if c.state != pj.PJSIP_INV_STATE_DISCONNECTED]
        except KeyboardInterrupt:
            pass
        return
    setups = []
    for _ in range(args.calls):
        c = Call(acc)
        op = pj.CallOpParam(True)
        t0 = time.perf_counter()
        c.makeCall(args.target, op)
        pump(ep, lambda c=c: c.confirmed_at > 0)
        setups.append((c.confirmed_at - t0) * 1000)
        c.hangup(pj.CallOpParam(True))
        pump(ep, lambda c=c: c.state == pj.PJSIP_INV_STATE_DISCONNECTED)
        del c
    print(json.dumps({"setup_ms": setups}), flush=True)
    acc.setRegistration(False)
    pump(ep, lambda: not acc.registered, 2)
    ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
    sys.exit(0)


if __name__ == "__main__":
    main()
