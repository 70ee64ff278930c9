#!/usr/bin/env python3
"""Deterministic generator for bench/swarm/questions.json.

Reads the feature facts from /work/shared/catalog/ran-features.json (or
$RAN_FEATURES) and writes a labelled set of free-text questions, each with the
single FAJ code that answers it.

* Hand-written questions (styles symptom / partial-name / abbreviation) are in
  FEATURES below, written per feature by reading the facts (name, acronym,
  parameters, counters).  They never contain the feature's exact name or
  acronym.
* Templated questions (name / acronym / procedure / parameter / counter) are
  filled from varied phrase pools with a fixed seed.  Parameters and counters
  are hand-picked per feature and must belong to exactly one feature in the
  catalog (checked below, on the bare attribute / pm name).
* The split is by whole feature: ~30 % of features per category (seeded) are
  "holdout", the rest "dev".

Run:  python3 bench/swarm/make_questions.py   (no arguments; output is stable)
"""
import collections
import json
import os
import random
import re
import sys

CATALOG = os.environ.get("RAN_FEATURES", "/work/shared/catalog/ran-features.json")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "questions.json")
SEED = 20240611
HOLDOUT_FRACTION = 0.30

# --------------------------------------------------------------------------
# node names (chosen to match the feature's access technology)
LTE_NODES = ["ERBS01", "ERBS_4411", "eNB 2231", "ERBS-KRK045", "ERBS07", "eNodeB 5520",
             "ERBS_STH_113", "ERBS-OSL-88", "LTE site MAL-12", "ERBS-LND-0457"]
NR_NODES = ["gNB-12", "gNB-0881", "gNodeB 7", "GNB_STH_021", "gNB-Lund-04", "gNB-77",
            "gNodeB 4410", "gNB_DAL_9", "NR site KRK-310"]
ANY_NODES = ["the node", "site KRK045", "RBS 7", "the baseband at site 2231", "node HUB-2",
             "BB6648 at MAL-12", "site OSL-88", "our hub site"]

# --------------------------------------------------------------------------
# phrase pools for templated styles.  {x} = name or acronym, {node}, {p}, {c}, {cxc}
NAME_T = [
    "what does {x} do?",
    "is {x} worth activating on {node}?",
    "{x} — any known side effects?",
    "pls explain {x} in two lines",
    "do we have {x} licensed on {node}?",
    "which counters should i watch after turning on {x}?",
    "{x}: what are the prerequisites?",
    "what conflicts with {x}?",
    "tell me about {x}",
    "customer is asking about {x}, what's the benefit for them?",
    "how do I verify {x} is actually doing something on {node}",
    "anything to watch out for with {x} in a dense urban cluster?",
    "need a short summary of {x} for the change request",
    "what parameters come with {x}?",
    "does {x} interact with anything else we run on {node}?",
    "is {x} licensed or basic?",
    "give me the FAJ number for {x}",
    "{x} on {node} — recommended settings?",
    "we are planning {x} next sprint, what should I read first?",
    "what KPIs does {x} improve?",
]
ACR_T = [
    "is {x} worth switching on here?",
    "what is {x}?",
    "{x} on {node}?",
    "does {x} need a licence?",
    "what does {x} depend on",
    "any KPI impact expected from {x}?",
    "pls list the {x} parameters",
    "{x} status on {node}",
    "can {x} run together with the rest of the feature set on {node}?",
    "FAJ for {x}?",
    "{x} is active on {node} but I see no effect",
    "explain {x} briefly",
    "which counters go with {x}",
    "what breaks if I turn off {x} on {node}",
    "{x} — prerequisites and conflicts?",
    "quick one: {x} yes or no for a rural cluster?",
]
PROC_T = [
    "how do I activate {x} on {node}?",
    "steps to enable {x} on {node} pls",
    "cmedit command to turn on {x}?",
    "how to deactivate {x} on {node}",
    "what's the activation order for {x}?",
    "how do I check whether {x} is active on {node}?",
    "licence for {x} is installed on {node}, what do I configure next?",
    "how to roll back {x} on {node}",
    "checklist for switching on {x} across a cluster",
    "procedure to configure {x}",
    "which FeatureState do I set for {x}?",
    "what must be activated before {x} on {node}?",
    "how do I enable {x} with ENM on a batch of nodes",
]
CXC_T = [
    "i set FeatureState={cxc} to ACTIVATED on {node}, what else needs configuring?",
    "which feature does {cxc} unlock and how do I turn it on?",
    "{cxc} shows DEACTIVATED on {node} — how do I activate it properly?",
]
PARAM_FULL_T = [
    "what does {p} do?",
    "which feature uses {p}?",
    "recommended value for {p} on {node}?",
    "{p} is still at default on {node}, should I tune it?",
    "changing {p} — what's the impact?",
    "{p} seems to be ignored on {node}, is a feature missing?",
    "can someone explain {p}",
    "i want to tweak {p}, which feature doc covers it?",
    "what's the range of {p}?",
    "is {p} only effective when some feature is active?",
    "{p} differs between {node} and the neighbours, does it matter?",
    "who owns {p}?",
]
PARAM_WORDS_T = [
    "where do I set the {w}?",
    "what's a sensible {w} for {node}?",
    "the {w} setting — what does it control?",
    "how do I change the {w} on {node}",
    "what feature is the {w} part of?",
    "{w} — is that per cell or per node?",
]
COUNTER_T = [
    "what does {c} count?",
    "{c} is zero on {node}, why?",
    "{c} jumped after the weekend on {node}",
    "which feature feeds {c}?",
    "how do I read {c}?",
    "{c} is not reported for {node} in ENM",
    "is {c} a good KPI input?",
    "need to trend {c} for the cluster, what does it measure",
    "{c} keeps increasing on {node}, what is it telling me?",
    "what triggers a step of {c}?",
]

# --------------------------------------------------------------------------
# per-feature spec.  F(code-suffix, p=param attr, c=counter pm name,
#   acr=use acronym style (None -> automatic), node='lte'|'nr'|'any' override,
#   n=target number of questions, h=[ 'S: ...' | 'P: ...' | 'A: ...' ])
FEATURES = []


def F(code, p=None, c=None, acr=None, node=None, n=3, h=()):
    FEATURES.append(dict(code="FAJ 121 " + code, p=p, c=c, acr=acr, node=node, n=n, h=list(h)))


# ---- Carrier Aggregation (LTE) ----
F("3046", c="pmCaConfiguredDlSamp", n=4)
F("4425", p="ulCaFallbackPolicy", c="pmCaScheduledUlSum",
  h=["A: UL CA on the LTE side of ERBS01 — which licence is it and what does it need first?"])
F("3084", c="pmRadioThpVolDl3ccPCell",
  h=["P: we want three carriers aggregated in downlink on ERBS01 (B3+B7+B20), which extension covers that?"])
F("4466", c="pmRadioThpVolDl4ccPCell", h=["A: 4CC DL CA on ERBS_4411 — separate extension licence?"])
F("4467", c="pmRadioThpVolDl5ccPCell",
  h=["P: five component carriers in downlink for one LTE UE, which extension do I need?"])
F("5032", c="pmRadioThpVolDl6ccPCell", h=["A: 6CC DL CA for LTE, what does it take?"])
F("5033", c="pmRadioThpVolDl7ccPCell", h=["P: aggregating seven LTE carriers in the downlink — possible on ERBS-KRK045?"])
F("3063", h=["P: dynamic choice of which SCell to configure for a CA UE on LTE"])
F("3068", p="isDlOnly", c="pmHoPrepRejInDlOnlyCell",
  h=["A: using a band 32 SDL carrier as a DL-only SCell on ERBS01"])
F("3075", p="lbCaThreshold",
  h=["S: load balancing between our LTE carriers keeps pushing CA-capable UEs off the carrier where they would get CA on ERBS01"])
F("4469", c="pmCaConfiguredDlIeNbSum",
  h=["A: CA between cells of two different eNBs with no shared baseband — is that possible?"])
F("4608", c="pmEranThpVolDlRecDistr", acr=True)
F("4701", h=["P: is there a way to configure priorities between candidate SCells on ERBS07?"])
F("4734", p="sCellEvaluationLevel",
  h=["P: evaluate SCell candidates globally over all frequencies instead of relation by relation"])
F("4749", p="sCellCandidateLimit",
  h=["S: SCell relations on ERBS01 are a manual mess, I want the node to add and remove SCell candidates by itself"])
F("4884", p="sCellHandlingAtVolteCall", c="pmCaDeconfiguredVolte",
  h=["S: VoLTE MOS drops when CA stays configured during the call on ERBS_4411, can SCells be dropped for voice?"])
F("4894", h=["A: IDC problems (LTE next to Wi-Fi/BT inside the phone) when UL CA is active"])
F("4939", p="loadBasedCaEnabled", c="pmCellCaLockTimeHighLoad",
  h=["S: at busy hour CA UEs eat all the resources on ERBS01, want SCell handling to depend on cell load"])
F("5116", p="ulHeavyUeDetectTimeOffset",
  h=["P: only configure CA on ERBS01 for UEs that actually have a lot of data"])
F("5237", p="caOffloadingEnabled", c="pmCaSchedDlOffloadingDistr",
  h=["P: on LTE, steer DL traffic of CA UEs onto the SCells to offload the PCell"])
F("5396", p="maxNoInitSCells",
  h=["S: connected-user licence on ERBS01 runs out because CA UEs hold too many SCells"])
F("4180", h=["A: TM9 8x2 DL performance package on ERBS01 — what's required?"])
F("4793", h=["A: 8T8R TM9 DL package for 4-layer UEs (8x4)"])
F("4834", n=2, h=["P: switching UEs into and out of transmission mode 9 automatically"])
F("3010", n=2, h=["P: automatic switching to and from transmission mode 7"])
F("4508", n=2, h=["P: transmission mode 8 switching on ERBS01"])
F("1821", n=2, h=["S: the baseband on ERBS07 refuses a sixth cell"])
F("3020", h=["S: need 9 LTE cells on one baseband at ERBS-KRK045"])
F("4242", h=["S: we want 15 cells on a single LTE baseband"])
F("4426", h=["S: planning 21 LTE cells on one baseband for a stadium — licence?"])
F("5551", h=["S: can one LTE baseband carry 30 cells?"])

# ---- Carrier Aggregation / DC (NR) ----
F("5201", c="pmCaDeconfigAtt", h=["A: basic NR DL CA with 2 CCs on gNB-12, what do I need?"])
F("5202", p="caVlanPortRef", h=["A: NR DL CA used for coverage extension on gNB-0881"])
F("5426", h=["A: 3CC DL CA on gNB-12"])
F("5518", h=["A: four-CC DL CA on FR1 for gNB-0881"])
F("4902", h=["A: 4CC DL CA on mmWave (FR2) cells"])
F("4964", h=["A: 8CC DL CA on FR2 — licence?"])
F("5639", p="betterSCellReportConfigMode", h=["A: 5CC NR DL CA on gNB-77"])
F("5753", h=["A: NR DL CA with 6 CCs, is that supported on gNodeB 4410?"])
F("5583", c="pmCaConfigAttUl", h=["A: NR UL CA on mid-band FR1 cells"])
F("5092", h=["A: UL CA on mmWave NR cells"])
F("5272", h=["P: aggregating FR2 carriers with different bandwidths, e.g. 100+50 MHz"])
F("5363", h=["A: TDD PCell for DL CA on low/mid-band NR"])
F("5571", p="relativePriorityLimit", h=["P: NR DL CA that takes the 5QI priority into account"])
F("5683", p="pCellDlDataOffload", h=["P: on NR push DL data to the SCell to relieve the PCell"])
F("5722", p="caSchedOptActive", c="pmArcLinkDelayAboveCaSchedOptThres")
F("5772", p="ulTxSwitchingEnabled", h=["A: UL Tx switching between NR carriers to boost UL throughput"])
F("5783", p="bwpSetContext", h=["A: NR SDL carrier used only as a DL SCell in CA"])
F("5808", h=["P: DL CA between NR TDD carriers that use different TDD patterns"])
F("5555", n=2)
F("5399", n=2)
F("4908", p="tDcOverall", c="pmEndcMnHoPSCellKeepAtt", acr=True,
  h=["A: basic EN-DC between the ERBS01 anchor and gNB-12"])
F("5271", p="linkLatency1minAvg", acr=True)
F("3095", p="sharedCabinetIdentifier", node="any",
  h=["P: control several cabinets (batteries, climate) from one node"])
F("4905", n=2)
F("5037", p="csiRsActivePortConfig")

# ---- Radio Resource Management (LTE) ----
F("3009", p="lbRateOffsetCoefficient", c="pmLbSubRatioSum", acr=True,
  h=["P: load balancing between my two LTE frequencies in connected mode on ERBS01"])
F("3058", n=2)
F("5036", p="lbCycle", h=["P: accelerated load balancing between LTE frequencies"])
F("4219", p="lbTpRankThreshMin", c="pmLbTpEvalUe",
  h=["P: LTE load balancing that looks at each UE's throughput before moving it"])
F("4406", p="cellDownlinkCaCapacity", c="pmCaRedirectQualifiedUe",
  h=["A: IF LB that is aware of UEs with limited UL"])
F("4946", h=["S: our LTE layer borders another vendor's eNBs and load won't balance across the vendor border"])
F("3028", p="lbHitRateEUtranAddThreshold",
  h=["P: pick the best neighbour relations to use for load management between LTE cells"])
F("3065", p="lbHitRateUtranAddThreshold")
F("3048", p="lbUtranOffloadThreshold", acr=True)
F("3047", h=["P: load management differentiated per service type on LTE"])
F("3061", n=2)
F("3077", n=2)
F("3078", p="txPwrForOverlaidCellDetect",
  h=["P: find out which LTE cells are overlaid by others so load balancing knows"])
F("3100", h=["P: offload UEs to another frequency when admission is rejected on ERBS01"])
F("4338", p="lowLoadThreshold", c="pmIdleModeRelDistrHighLoad",
  h=["S: idle UEs all camp on the same LTE layer, want the release-time frequency priorities to depend on load"])
F("5128", p="coverageAwareLbdar", h=["P: evolved load-based distribution of UEs when releasing them"])
F("1857", p="dlTransNwBandwidth", c="pmErabEstabFailGbrDlEnb", acr=True)
F("1787", p="arpBasedPreEmptionState", c="pmErabEstabSuccAddedArp",
  h=["S: when ERBS01 is full, high-ARP bearers should be able to pre-empt low-priority ones"])
F("1748", acr=True, h=["P: dynamic admission control for GBR bearers on LTE"])
F("4301", p="dynUeAdmCtrlEnabled", acr=True)
F("5229", c="pmRrcConnEstabFailDynUeAdmCtrlPa")
F("4947", n=2)
F("5018", h=["P: improved admission control for push-to-talk users on ERBS01"])
F("1039", p="paArpOverrideEc", h=["S: 112 calls get rejected when ERBS_4411 is congested"])
F("5187", p="rrcQueueT300Ratio", c="pmRrcConnQueueAtt",
  h=["S: at stadium peaks RRC setups get rejected on ERBS-OSL-88, I'd rather they were queued"])
F("5342", c="pmRrcConnEstabAttMtaPagPrioDistr",
  h=["P: give mobile-terminated access priority when the LTE cell is at high load"])
F("0859", p="channelQualityMode", c="pmPdcpLatTimeDlQci", acr=True)
F("0920", h=["P: proportional fair scheduling with a guaranteed minimum rate per user"])
F("4415", c="pmActiveDrbDlSumQci", acr=True)
F("1789", h=["P: UL scheduling based on packet delay with grant estimation"])
F("1799", h=["A: UL FSS on ERBS01 — worth it on a 20 MHz carrier?"])
F("2053", p="dlResourceAllocationStrategy", h=["A: DL FSS for LTE cells"])
F("4966", p="eUlFssSwitchThresh", h=["P: evolved frequency selective scheduling in the UL"])
F("4299", c="pmRaBackoffDistr",
  h=["S: RACH congestion during events, I want the backoff indicator to adapt automatically on ERBS01"])
F("4300", c="pmSrGrantLatDistr", h=["P: give scheduling requests priority in the LTE scheduler"])
F("4377", p="allocThrPucchFormat1", acr=True,
  h=["S: the PUCCH format 1 region is oversized at low load and wastes UL PRBs on ERBS01, want it sized on demand"])
F("4571", p="resourcePartitionShare", acr=True,
  h=["S: reserve a share of the PRBs for a public-safety subscriber group on ERBS01"])
F("4619", n=2)
F("4708", p="lessWindow1StartTime", c="pmPdschBlankedSubframeLess", acr=True)
F("4757", h=["P: UL scheduling on LTE that is aware of how much data the UE has buffered"])
F("4888", n=2)
F("4994", h=["S: DL user-plane latency on LTE is too high for cloud gaming, any feature to cut it?"])
F("5090", p="cellTriggerList", acr=True)
F("5155", p="ulPhyProcResTradingEnabled", h=["P: flexible uplink baseband processing on LTE"])
F("5222", n=2)
F("5344", p="pdcchFlexibleBlerMode", c="pmPdcchTargetBlerDistr", acr=True)
F("5641", p="ulRlcBufferMaxRetxThresHigh", c="pmRlcUlMaxRetxThrAdapt",
  h=["P: adapt the UL RLC max retransmission threshold to cell load (LTE)"])
F("5744", p="nrMobilityTriggerQciRef", c="pmCellHoExeAttNrServTrig",
  h=["P: move LTE users to NR triggered by their service (QCI)"])
F("5850", p="endcSetupDelayEnabled", c="pmRobustCallSetupTimerExp",
  h=["S: VoLTE call setups fail on ERBS01 because a handover or EN-DC setup hits in the middle of the setup"])
F("3085", p="initPreschedulingEnable")
F("2037", acr=True)

# ---- Radio Resource Management (NR) ----
F("4904", p="covAdaptSrPEnabled", c="pmRadioMacSrPeriodicitySwitchGoodCoverage")
F("4906", c="pmRadioRecInterferencePwrSpecialSlot3Distr")
F("5038", n=2)
F("5079", p="pdschStartPrbStrategy",
  h=["P: NR scheduler that starts PRB allocation at different positions per cell to keep inter-cell interference down"])
F("5091", c="pmPdcpVolRecUlQosRpUserPlaneLink", h=["A: UL aggregation over both the LTE and NR legs for EN-DC UEs"])
F("5157", p="srHandlingMode")
F("5192", p="priorityLevelsList", h=["P: priority domains in the NR scheduler"])
F("5217", h=["A: beam mgmt improvements for mmWave cells"])
F("5293", p="relativePriorityMode")
F("5295", p="nrNeedForGapsSupported",
  h=["S: NR throughput dips whenever the LTE anchor configures measurement gaps for EN-DC UEs"])
F("5298", p="mobilityRestrictionsApplied")
F("5337", p="nrRrpEnabled", acr=True)
F("5402", p="maxConnectedUe", acr=True)
F("5425", h=["A: slicing for EN-DC users"])
F("5458", p="mlcTriggerQuantity", c="pmHoExeAttOutEutranTs")
F("5481", p="dlPrioritizedRate", acr=True)
F("5582", p="cellDlMaxWaitingTime", h=["P: NR scheduling that raises priority when packets have waited too long"])
F("5584", c="pmRruCompAvailCapacityUlDistr")
F("5626", p="spectrumShareDlUpperLimit", acr=True)
F("5680", p="ueOffloadISHoRatio")
F("5693", n=2)
F("5697", p="ulPacketPredictionMode", h=["P: predict UL packets and grant before the SR even arrives (NR)"])
F("5709", n=2)
F("5778", p="hoToPrioritizedCell", h=["P: steer NR traffic towards the small cells"])
F("5786", p="dlPriorityScaler")
F("5806", p="rlcAckPduDelayMode")
F("5809", p="slopeInfoDl")
F("5822", p="pdcchCapacityBoostEnabled", c="pmMacRBSymReservedPdcchCapacityBoost")
F("5387", p="covOptUlSchedFr2Enabled")

# ---- Mobility & Handover (LTE) ----
F("0497", p="detectObsoleteExtCellsEnabled", c="pmAnrNeighbrelAdd", acr=True,
  h=["S: missing neighbour relations on ERBS01 and I don't want to plan them by hand"])
F("0667", p="ueMeasIntraFreq1", c="pmUeMeasRsrpDeltaIntraFreq1",
  h=["P: UE measurements started by PM to collect coverage statistics on LTE"])
F("0797", p="maxMeasInterFreqEUtraR12",
  h=["S: at poor coverage UEs should be released with redirect to another LTE carrier instead of being dropped"])
F("0877", h=["A: coverage-triggered IF HO on ERBS01 — how is it set up?"])
F("0897", h=["A: PS HO to WCDMA when LTE coverage runs out"])
F("0493", h=["S: when LTE coverage ends, UEs should be redirected (no handover) to the 3G layer"])
F("0495", p="arfcnValueGeranDl", h=["S: at the LTE coverage edge, release UEs with redirect to GSM"])
F("0491", p="threshXHighHrpd", h=["P: session continuity towards CDMA eHRPD when LTE fades"])
F("3004", p="maxMeasUtraTdd", h=["S: UEs leaving LTE coverage should be redirected to the TD-SCDMA network"])
F("3039", n=2, h=["A: PS HO to TD-SCDMA at the LTE coverage edge"])
F("1747", n=2)
F("1788", p="ueProfileFilterRef")
F("1797", p="ulTrigActive", c="pmCellHoExeAttLteInterFUl",
  h=["S: UEs with poor uplink stay on a UL-limited band, I want inter-frequency mobility triggered by UL quality"])
F("1885", c="pmHoOscIntraF",
  h=["S: a handful of UEs ping-pong between two LTE cells dozens of times per call on ERBS07"])
F("1898", p="pciConflictReportType", acr=True, h=["P: reporting PCI collisions and confusion between LTE cells"])
F("2027", p="srvccCapability", h=["A: SRVCC to 3G from ERBS01"])
F("3014", p="dtmSupport", h=["A: SRVCC to 2G — what needs configuring?"])
F("3013", c="pmA5BestCellEvalReport", acr=True,
  h=["S: UEs at poor coverage are not moved to another frequency or RAT before they drop, need an A2-triggered search on ERBS01"])
F("3025", p="combCellSectorSelectThreshRx",
  h=["S: highway site with 3 LTE sectors causes too many HOs, want all sectors to act as one cell with one PCI"])
F("3035", p="amoAllowed", acr=True)
F("3042", h=["S: we need handovers between our FDD and TDD LTE layers on ERBS_4411"])
F("3064", p="biasThpWifiMobility", h=["S: steer UEs to carrier Wi-Fi when LTE throughput would be worse"])
F("3072", h=["A: CSFB to UMTS using PS HO instead of redirect"])
F("3073", p="csfbMeasFromIdleMode",
  h=["S: CSFB calls land on weak 2G/3G cells because the target is picked blind, want measurements first"])
F("3087", p="servOrPrioTriggeredIFHo", c="pmHoPrepAttLteSpifho", acr=True)
F("4124", c="pmHoPrepAttLteInterFQci", acr=True)
F("4296", p="releaseInactiveUesInactTime", c="pmInactiveUeRelInHighLoad",
  h=["S: at high load the target cells fill up with inactive UEs, release them instead of handing them over"])
F("4429", p="enableUeAssistedAdaptiveDrx", h=["P: DRX adapted from UE assistance information on LTE"])
F("4796", p="ulMcsLowerLimit")
F("4855", p="srvccDelayTimer", h=["S: VoLTE calls drop when SRVCC triggers while the call is still being set up"])
F("4940", c="pmBadCovMiFreqSel", h=["A: ML-based choice of target frequency at bad coverage on LTE"])
F("5044", n=2)
F("5062", c="pmS1SigConnEstabAttMoVoice", h=["P: optimise VoLTE access when the LTE cell is heavily loaded"])
F("5144", p="covTrigMobErabSetupConfig",
  h=["S: UEs setting up bearers at the coverage edge should be moved right at setup"])
F("5149", p="reducedConnSetupTimeEnabled", h=["P: cut RRC connection setup time on LTE"])
F("5223", n=2)
F("5433", c="pmCellHoExeAttLteInterFUtvm",
  h=["S: VoLTE users with bad UL get RTP packet loss, move them to another carrier based on the uplink"])
F("5682", p="interFreqHoHigherPrioEnabled", c="pmA5InterFHigherPrioEvalReport",
  h=["S: connected UEs stay on the low band even when the higher-priority LTE carrier is good"])
F("5686", p="dlVolteCovMobThrHigh", h=["S: VoLTE DL packet loss at the cell edge before any HO triggers"])
F("5746", p="spidUeEnhLoadMgmtThr", h=["P: IF load management specifically for high-priority SPID users on LTE"])
F("5747", p="pwrBoostRaMsg2Pdcch", c="pmPdcchMsg2PwrBoostDistr",
  h=["S: far-away UEs miss RACH msg2 on ERBS01, can we boost PDCCH/PDSCH power for msg2?"])
F("5095", acr=True)
F("5334", p="hiPrioDetEnabled")
F("5824", p="relaxedRrmMeasEnabled", h=["P: let stationary NR UEs relax neighbour measurements to save battery"])
F("3062", c="pmMbmsInterestIndication",
  h=["S: UEs interested in eMBMS content should be moved to the carrier where the service is broadcast"])
F("1819", h=["A: SGW reloc during X2 HO"])
F("0489", p="minBestCellHoAttempts", h=["A: plain intra-LTE HO over X2/S1, which basic feature is it?"])
F("0490", h=["S: DL packets are lost during X2 handovers because data isn't forwarded to the target eNB"])
F("1800", p="s1HODirDataPathAvail",
  h=["S: DL packets lost on S1-based handovers between eNBs that have no X2"])

# ---- NR/5G ----
F("5060", p="cfraEnabled", c="pmRadioRaCfFailMsg2Disc", h=["A: basic SA operation on gNB-12, what do I need?"])
F("5041", p="mcpcQuantityList", c="pmHoPrepFailInInterGnbPoorUl")
F("5218", p="removeGnbTime", c="pmAnrNcgiMeasRcvDrx", acr=True,
  h=["S: missing NR neighbour relations on gNB-12, want the node to find them automatically"])
F("5346", p="rrcReestForcedFallback", c="pmRrcConnReestFallbackAtt", h=["A: RRC reest on NR cells"])
F("3023", p="t311", c="pmRrcConnReestAttHo",
  h=["S: RRC re-establishment fails on LTE when the UE comes back in another eNB than the source"])
F("3019", n=2)
F("5348", p="m1EventA2ThresholdRsrp", acr=True, h=["A: immediate MDT (M1) on NR cells"])
F("4518", p="loggingInterval", acr=True, h=["P: logged drive-test data collected from UEs on LTE instead of drive testing"])
F("5059", p="epsFbTargetSearchTimer", h=["A: EPS FB for IMS voice on SA gNB-12"])
F("5219", h=["A: VoNR on gNB-0881"])
F("5166", p="eUtranFallbackPrioEc", c="pmRwrEutranUeSuccEpsfbEmFbInd")
F("5375", p="extendInactEmergency", c="pmErabEstabQci5EmInactTimer")
F("5377", p="voiceMobilityToNrEnabled", c="pmHoExeAttMeasBasedNr", h=["A: LTE→NR IRAT HO into SA from ERBS01"])
F("5118", c="pmHoPrepRejInLicMob",
  h=["S: handovers from NR SA into ERBS01 get rejected, target-side licence missing?"])
F("4983", p="smtcPeriodicity")
F("5380", p="tXnDcPrep", acr=True, h=["A: NR-DC with FR1 + FR2"])
F("4912", p="estimatedUeL2Buffer", h=["A: DL aggregation across the LTE and NR legs"])
F("5094", c="pmMassiveMimoSleepTimeTxMute", p="mMimoSleepProfileId")
F("5724", p="switchDownPrbThreshDlEco", c="pmMassiveMimoSleepTimeEco")
F("5721", p="targetUeDlThroughput",
  h=["S: want NR energy saving that tunes itself to keep a target UE DL throughput"])
F("5625", p="requiredWakeUpTime", c="pmCellBoosterCarrSleep", n=4,
  h=["S: capacity NR carrier on gNB-12 stays on all night with no traffic, put it to sleep and wake it when needed",
     "R: what does the required wake up time mean for the capacity carrier on gNB-12?"])
F("4900", h=["P: PA micro sleep in empty symbols on NR"])
F("5515", h=["P: receiver micro sleep on NR during idle UL symbols"])
F("4903", p="powerMeasAvgTime")
F("4911", p="csiRsConfig32P", c="pmRadioUeRepCqi64QamRank4Distr")
F("4930", c="pmLic5Plus5MHzScFddNote")
F("4931", c="pmLic25Plus25MHzScActualNote")
F("4962", c="pmEndcSetupFailNrRa")
F("4998", h=["P: beamforming of the control channels on NR"])
F("5015", p="powerBackoffEnhanced", c="pmEmfPwrBackoffScaledPwrDistr")
F("5500", p="powerBackoffDirEnabled")
F("5022", h=["P: Radio Dot for 5G indoor coverage"])
F("5039", n=2)
F("5047", n=2)
F("5050", n=2)
F("5126", n=2)
F("5179", n=2)
F("5191", p="ailgDlPrbLoadLevel", c="pmMacRBSymUsedPdschAilg",
  h=["S: need to fake DL PRB load on the gNB-12 cells for an interference test"])
F("5211", p="primaryPLMNId")
F("5214", n=2)
F("5220", c="pmEndcInitAccessRejGnbMpLoad")
F("5221", p="pwsEmergencyAreaIdList", h=["S: ETWS/CMAS alerts must also reach UEs camped on NR SA"])
F("5242", c="pmFlexUeThpTimeDl")
F("5259", p="fixWideBeamsForPeriodicSr")
F("5268", p="nCellChangeHigh", h=["S: high-speed rail covered by n78, UEs reselect far too late"])
F("5302", p="imsEmSupportEnabled", h=["S: SIM-less phones must be able to make emergency calls on NR SA"])
F("1743", h=["S: SIM-less phones on LTE need to be able to place emergency calls"])
F("5324", p="preschedulingUeMode")
F("5325", n=2)
F("5329", n=2)
F("5336", p="pdschAllowedInDmrsSym", h=["P: put PDSCH data into the DMRS symbols"])
F("5394", p="puschAllowedInDmrsSym", h=["P: multiplex UL data into DMRS symbols on NR"])
F("5340", p="integProtUserPlaneCapability", h=["A: UP integrity protection on NR"])
F("5341", h=["P: several PSCells on mmWave"])
F("5349", n=2)
F("5400", h=["A: RoHC for VoNR on gNB-12"])
F("5401", h=["A: A-MPR handling on NR"])
F("5409", n=2)
F("5411", n=2)
F("5438", p="cbrsCellPriority", h=["A: NR in the CBRS 3.5 GHz band under a SAS"])
F("5304", n=2)
F("5441", p="ssbBeams")
F("5725", p="azimuthCoverageWidth",
  h=["P: change the NR cell shape (horizontal/vertical beam width) on mid-band"])
F("5442", c="pmBwpUeConfSamp")
F("5443", p="maxNoOfUeInSparseBwp", acr=True)
F("5444", n=2)
F("5445", c="pmMacPdschEmptySubframeForced")
F("5446", p="ulRrcSegAllowedForUeCapInfo", c="pmUeCapabilityInfoSegmented",
  h=["S: UE capability info is too large for one UL RRC message on NR"])
F("5437", c="pmRrcSegmentAttUl",
  h=["S: UE capability messages on LTE exceed the max PDCP SDU size, need UL RRC segmentation"])
F("5449", p="overheatingAssistanceConfig",
  h=["S: phones overheat during EN-DC sessions, let them signal it so we reduce the config"])
F("5459", p="pdcchSymbConfig", h=["P: use more than one OFDM symbol for PDCCH on low/mid-band NR"])
F("5460", c="pmEbsEndcCaDeconfigReason")
F("5461", p="maxNgUPath")
F("5462", n=2)
F("5465", c="pmUeAssistedPrecodingOptCalibrated")
F("5471", p="puschRepMode", h=["P: slot aggregation for VoNR uplink at the cell edge"])
F("5475", p="slotSpecificDlLaConfigList")
F("5476", p="dlMaxSupportedModOrder", h=["A: 256QAM DL on mmWave"])
F("5477", h=["S: need to cap the max throughput per UE on NR for a fair-use plan"])
F("5480", n=2)
F("5482", c="pmEndcSetupFailUeCap")
F("5501", p="pimAutoDetectionEnabled")
F("5502", p="pimAvoidLevel", c="pmPdschPimBlankedSlot",
  h=["S: intermod from our own DL raises the UL noise floor on gNB-12, can we blank DL to protect UL?"])
F("5448", p="pimAvoidanceControllerEnabled", c="pmMutedPrbsWithPimAvoidOnSum",
  h=["S: PIM from our own DL carriers raises UL interference on ERBS01, can the DL PRBs causing it be muted?"])
F("5436", p="pimDetectionCandidateRate")
F("5503", p="portNumber")
F("5505", n=2)
F("5510", h=["P: shift the SSB timing on mid-band NR"])
F("5513", p="linkAdaptationUeMode")
F("5514", p="rimBgNoiseThresh", acr=True,
  h=["S: NR TDD UL interference from far-away gNBs at night (atmospheric ducting), want to mitigate it"])
F("5655", p="rimHighIpnState", c="pmRadioSymbolDeltaIpnDistr")
F("5065", c="pmDuctIntCharSeq", h=["S: LTE TDD UL noise rises at night from distant sites (tropospheric ducting)"])
F("5527", n=2)
F("5528", p="ueAdaptiveRlcRetxMode")
F("5548", n=2)
F("5554", n=2)
F("5565", n=2)
F("5568", p="weightFactor")
F("5569", n=2)
F("5575", c="pmHoExeAttOutIntraGnbOffload", acr=True,
  h=["S: want to empty an NR cell gracefully before maintenance on gNB-12"])
F("5587", p="puschPowerControlModeFr1")
F("5588", n=2)
F("5592", h=["A: SA mmWave for FWA CPEs"])
F("5594", p="pdcchReuseForPdschEnabled", h=["P: reuse unused PDCCH resources for PDSCH"])
F("5595", p="noOfSrResourcesHsPool1")
F("5609", p="maxBarringProbability", h=["A: UAC barring on NR SA cells"])
F("5678", p="startBarringAi2")
F("5621", p="pciConflictDetectionThreshLTE", c="pmHoExeAttOutIntraGnbPciHandling", acr=True)
F("5622", n=2)
F("5628", n=2)
F("5640", p="dlPdcpPreferredCgOverride")
F("5661", p="redCapUeLimit", h=["A: RedCap devices on NR cells"])
F("5684", n=2)
F("5696", p="dataAwareMobDlLowThpDuration")
F("5714", p="releasePrefConfig", h=["P: UE signals its preferred RRC state (idle/inactive) via UAI"])
F("5717", c="pmMacTimeUlResDrbMaxQos")
F("5729", p="srGrantSizeMode", h=["P: adapt the UL grant size after an SR on NR"])
F("5743", p="prefUeResourceAllocDlTypeFr1")
F("5745", n=2)
F("5748", p="puemEnabled", c="pmSaUeMeasurementReportPuem",
  h=["P: NR UEs reporting RSRP periodically so we can build coverage maps"])
F("5758", p="csiPollRetransmitEnabled")
F("5767", p="advUePosPeriodicityMode")
F("5768", n=2)
F("5769", p="lcsToGcsTranslation")
F("5770", n=2)
F("5781", n=2)
F("5796", n=2)
F("5801", p="mpsPriorityForRwr")
F("5803", p="srsCapacityBoostEnabled", h=["S: SRS resources run out on the n78 cells of gNB-12 with many MIMO users"])
F("5821", p="posUeWoPduSessionEnabled")
F("5830", p="drbDlDataDuringHoEnabled")
F("5832", p="softAdmissionEnabled", c="pmDrbEstabSoftAdmissionQos")
F("5847", p="pdcchBeamOptMode", c="pmMacPdcchCongestionDlDistr")
F("0999", node="any",
  h=["S: new sites should integrate themselves when powered up, without a field engineer doing the config"])
F("4728", p="adminCascadedEec", acr=True)
F("4776", n=2)

# ---- Positioning / Timing & Sync ----
F("0735", p="locationReportForPSCell", h=["P: positioning based only on the serving cell ID (LTE)"])
F("3050", n=2)
F("3090", c="pmMeasGapFailLicInterFOtdoa", h=["P: OTDOA measurements on PRS of another frequency"])
F("4290", h=["P: report the UE location when the connection is released"])
F("4833", n=2)
F("0863", n=2, h=["A: AGPS via SUPL user plane on LTE"])
F("0864", n=2)
F("1794", n=2)
F("3030", n=2)
F("0862", n=2)
F("1793", n=2)
F("3086", p="prsMutingPattern", h=["P: configure PRS muting and power boosting for OTDOA"])
F("2022", h=["S: TDD site needs phase sync over PTP from the transport network, the node acting as a PTP slave"])
F("4755", p="masterOnly", h=["S: the node should pass PTP on to a downstream small cell as a boundary clock"])
F("4249", h=["S: node with a GNSS receiver should act as the PTP grandmaster for the other nodes at the site"])
F("4374", p="timePhaseMaxDeviationTdd", h=["P: fallback behaviour when time and phase sync is lost"])
F("5270", p="overTheAirSyncStatus",
  h=["S: when GNSS fails, keep phase by listening to a neighbouring node's radio signal"])
F("5834", h=["S: we must deploy an isolated node with no GNSS, PTP or NTP available at all"])
F("0496", p="syncServerNtpIpAddress", c="pmFreqHoldoverSec", acr=True,
  h=["S: small site has no GNSS or PTP, can the node take frequency sync from an NTP server?"])
F("3024", p="useQLFrom", h=["A: SyncE frequency sync from the transport network"])
F("4780", p="multipleGnssWanted", node="any", h=["S: receiver only uses GPS, we want Galileo/GLONASS as well"])

# ---- Security ----
F("0804", p="ikeSaLifetime", h=["S: IKE SA towards the SeGW keeps renegotiating every few minutes"])
F("3027", p="logPushTransferId", h=["S: security events must be pushed to our syslog server in real time"])
F("4142", p="enrollmentAuthority", h=["S: node certificate enrollment towards the operator PKI fails"])
F("5040", p="reAuthPeriod", h=["S: 802.1X authentication on the node's Ethernet port towards the switch"])
F("5227", n=2)
F("5230", p="macSecProfile", h=["S: L2 encryption (802.1AE) on the backhaul Ethernet link"])
F("5328", p="periodicRnaUpdateTimer", c="pmRrcInactLevelMax", acr=True, h=["A: RRC_INACTIVE on NR cells"])
F("5403", p="secUeMeasFraction", acr=True,
  h=["S: want to detect fake base stations (IMSI catchers) around our LTE sites"])
F("5579", h=["S: log port scans against the node's IP interfaces"])
F("5597", n=2)
F("5723", n=2)
F("5232", p="enabledCiphers", h=["S: DTLS protection of the SCTP associations (S1/X2/NG)"])

# ---- QoS & Scheduling ----
F("1745", p="rateShapingActive", h=["S: need to cap the per-subscriber bitrate on the eNB"])
F("1749", c="pmErabModSuccQci", h=["A: E-RAB QoS modification from the MME on the fly (LTE)"])
F("1823", p="defaultDscp", node="any",
  h=["S: backhaul link is 100 Mbit/s but the node bursts at 1G, causing drops in the microwave"])
F("1892", p="rlfProfileRef", h=["S: need a QCI 130 for a private APN on LTE"])
F("3055", n=2)
F("4570", c="pmRlcPollRetxDl", h=["P: adaptive RLC polling on LTE bearers"])
F("4645", p="harqOffsetDl", h=["P: HARQ settings per QCI on LTE"])
F("5048", n=2)
F("5098", p="dscpArpMap", h=["P: set the DSCP per ARP and QCI combination on LTE"])
F("5720", p="prioritisedBitRate", h=["P: better UE QoS control in the uplink on NR"])
F("5773", p="preemptionEnabled", acr=True)

# ---- UE Handling ----
F("3011", c="pmRrcConnReconfNoDrxMoVoice", h=["P: different DRX profile per service / QCI on LTE"])
F("3081", h=["S: paging of priority (MPS) subscribers gets discarded during paging overload on LTE"])
F("4302", c="pmPucchSrResShortUtilCell", h=["P: release the PUCCH resources of inactive UEs at high load"])
F("4368", p="listOfTacSvSns", c="pmInhibitImeisvFeature",
  h=["S: a specific handset model misbehaves with one feature, need to switch it off per IMEISV"])
F("4655", p="eDrxAllowed", c="pmPagEdrxReceived", h=["A: eDRX in idle for IoT devices on LTE"])
F("4963", h=["A: C-DRX on NR cells"])
F("5043", p="lrfName")
F("5716", p="decoupledPdcchLaEnabled")
F("5802", p="pagingPrioThreshold", c="pmPagNgReceivedPriority")

# ---- Interference Management ----
F("1074", p="dlInterferenceManagementDuration", h=["P: autonomous ICIC resource allocation on LTE"])
F("4223", p="dlCompMeasRprtMaxSinr", c="pmMeasRepDiscDlComp", h=["A: DL CoMP on LTE"])
F("4471", p="elcEnabled", acr=True,
  h=["S: reduce CRS transmission in empty subframes to cut interference and save energy on LTE"])
F("4576", n=2)
F("4680", c="pmClpcUlSinr", h=["P: differential UL power control on LTE"])
F("5300", p="azimuthNull", h=["S: steer a null towards the direction an external interferer comes from"])
F("5379", p="tddBorderVersion",
  h=["S: the neighbour operator uses a different TDD pattern, blank DL slots to coexist"])
F("5805", p="rbExpansionTarget")

# ---- Energy Saving ----
F("3089", h=["S: switch the PA off in empty symbols to save energy on LTE"])
F("4271", p="startSampling", h=["S: capture the UL spectrum on gNB-12 to hunt down external interference"])
F("4390", n=2)
F("4468", n=2)
F("5031", p="puschPwrOffset256qam", h=["A: what licence gives me 256QAM UL on ERBS01?"])
F("5045", c="pmMacSchedSlotDlSCellSchedDistr")
F("5072", p="rohcForUlDataEnabled", h=["A: RoHC on UL data bearers (not voice)"])
F("5089", p="dftSOfdmMsg3Enabled", h=["A: switch the UL waveform to DFT-s-OFDM at the cell edge on n78"])
F("5215", h=["P: UE energy efficiency based on CQI"])
F("5233", c="pmMacHarqUlDtx256QamInit", h=["A: 256QAM UL on my n78 cells of gNB-12"])
F("5247", p="dlDynBlerTargetMax", h=["A: AI-based DL LA on LTE"])
F("5315", p="lastSchedLinkAdaptMode")
F("5404", p="activateDeepSleep", h=["S: put the whole LTE radio unit into deep sleep at night"])
F("5620", h=["P: adjust the PA supply voltage with load"])
F("5624", p="ranCompDeepSleepEnabled", c="pmRanCompDeepSleepTime")
F("5700", p="eDrxMode", h=["A: eDRX for RedCap UEs on NR"])
F("5782", p="qualHystSssgSwitch")

# ---- Voice & IMS ----
F("0801", p="drxActive", h=["P: basic DRX/DTX for connected-mode UEs on LTE"])
F("0845", h=["A: CSFB for dual-radio (SVLTE) phones"])
F("0856", p="csFallbackPrio", h=["A: basic CSFB to GSM and WCDMA"])
F("0861", h=["A: RLC UM for VoLTE bearers"])
F("0876", p="forcedSiTunnelingActive", c="pmRimAssocMax",
  h=["S: CSFB setup is slow because the UE has to read the GSM system info after redirect, want the SIs sent with the release"])
F("0921", p="csFallbackPrioEc", h=["A: CSFB handling for 112 calls"])
F("3036", p="threshXHigh1xRtt", h=["A: CSFB to 1xRTT"])
F("3056", p="thresholdCdma20001xRtt", h=["A: enhanced 1xCSFB"])
F("4246", p="inactivityTimerOffset", h=["S: want a longer inactivity timer only for certain QCIs"])
F("4329", h=["S: VoLTE calls get barred during access class barring, voice should be exempted"])
F("4746", c="pmAccessClassBarringVoiceDistr", acr=True)
F("4929", h=["A: MCPTT on LTE for a public-safety customer"])
F("5181", p="extendInactAfterVolteRel",
  h=["S: UEs go idle right after a VoLTE call ends and the next call setup is slow"])
F("5235", p="ulSinrThresToRegion", acr=True)
F("5362", p="eCallOverImsSupport", h=["S: cars' automatic crash calls over IMS must work on LTE"])
F("5374", n=2)
F("5470", p="voltePreschedulingEnabled")
F("5699", p="volteCodecRateForUlSinrEst", h=["A: more robust UL LA for VoLTE"])
F("5874", p="oneCwSelectionForVolteEnabled")
F("5014", p="bitRateDownRecommTimer",
  h=["S: codec rate should adapt to radio conditions via ANBR on LTE"])

# ---- Coverage & Capacity ----
F("0760", p="streamStatusPmUeTrace", h=["P: stream events from ERBS01 to the collector instead of ROP files"])
F("0869", h=["S: need a cell radius of about 60 km for a rural LTE site"])
F("5124", p="maxHarqMsg3Tx", c="pmRaAttTaZone2Distr",
  h=["S: coastal LTE site has to serve ships 150 km out at sea"])
F("0883", p="puschMaxNrOfPrbsPerUe", h=["P: over-dimension the PUCCH region on an LTE cell"])
F("0892", c="pmRohcEstabFailCid", h=["A: RoHC for VoLTE on ERBS01"])
F("1824", h=["S: check the battery backup capacity remotely"])
F("2025", n=2)
F("2051", p="ttiBundlingSwitchThres", c="pmTtiBundlingUeMax", n=4,
  h=["A: TTIB for VoLTE at the cell edge", "R: which threshold decides when a UE is switched into TTI bundling — ttiBundlingSwitchThres?"])
F("3031", p="useEstimatedCellCap", h=["P: let the node estimate cell capacity for load balancing"])
F("3071", c="pmLic5Plus5MHzScFddActual")
F("3088", h=["P: multiple sectors on one radio unit"])
F("3092", c="pmHoPrepRejInDuIntens")
F("3099", h=["P: spread PHICH groups on LTE"])
F("4224", h=["P: frequency hopping for VoLTE PUSCH"])
F("4363", p="ul64qamEnabled", h=["A: 64QAM UL never used on ERBS01 even at high SINR"])
F("4762", p="hpueCaSwitchThres", h=["A: HPUE power class 2 UEs on LTE"])
F("4853", p="puschNcpChannelEstWindowSize",
  h=["S: UL decoding fails for far UEs whose delay spread exceeds the cyclic prefix on LTE"])
F("4915", p="highBasebandPriority", h=["S: baseband is full, want one cell to get resources first"])
F("4917", c="pmAcBarringEmSpecialAc")
F("5034", h=["P: PRACH improvements on mid-band NR"])
F("5080", h=["P: coverage extension on low-band NR"])
F("5145", p="dftSOfdmPuschStartRsrpThresh")
F("5163", n=2)
F("5224", c="pmEmfPwrBackoffSumOn", h=["S: EMF exposure limits at an LTE site, need time-averaged power control"])
F("5239", p="actualSsbPowerBoost", h=["P: boost SSB power on NR cells"])
F("5490", p="peUeToInterCellPreHyst")
F("5749", n=2)

# ---- MIMO & Antenna ----
F("0486", acr=True, h=["A: dual-antenna DL perf package — do we have the licence on ERBS01?"])
F("0705", p="uniqueId", node="any", h=["S: daisy-chained RET units behind one antenna line"])
F("0706", h=["P: VSWR supervision thresholds on the antenna branches"])
F("0780", h=["S: UL SINR is poor from inter-cell interference, can the 2RX receiver do rejection combining instead of MRC on ERBS01?"])
F("0925", p="downloadSoftware", node="any", h=["S: the RET units need a firmware upgrade pushed from the node"])
F("1040", n=2, node="any")
F("1744", h=["A: 4RX UL perf package on ERBS01"])
F("2052", h=["A: 8RX UL perf package"])
F("2175", p="installersId", node="any", h=["P: remote electrical tilt setup on the node"])
F("3000", h=["P: dual-layer beamforming package on LTE"])
F("3002", h=["P: single-layer beamforming package on LTE"])
F("3040", p="rxBranchImbalanceThreshold", c="pmBranchDeltaSinrDistr0",
  h=["S: RX branch imbalance alarm on ERBS01, what monitors the antenna system?"])
F("3041", h=["A: 4x2 DL perf package on ERBS01"])
F("3043", c="pmCompUlDeltaSinrPuschDistr",
  h=["A: UL CoMP between cells on the same baseband gives very little gain on ERBS01"])
F("4856", c="pmEranCompUlNack", h=["A: UL CoMP between cells on two different baseband units"])
F("3057", p="pdcchPowerBoostMax",
  h=["S: PDCCH decoding fails at the cell edge, can unused REs be used to boost PDCCH power?"])
F("3076", h=["A: 4x4 MIMO DL package on ERBS01"])
F("3094", p="sleepStartTime", acr=True, n=5,
  h=["S: switch off 2 of the 4 TX branches on LTE during a fixed night window", "P: the sleep mode for MIMO on LTE",
     "R: sleep start time and sleep end time for the night window on ERBS01 — where are they set?"])
F("5296", p="modelAccuracyThreshold", c="pmMiMimoSleepOpp",
  h=["P: AI-driven MIMO sleep on LTE"])
F("4157", p="pmUlInterferenceReportId")
F("4330", c="pmMultiUserMimoUlUePairsDistr", h=["A: UL MU-MIMO on LTE"])
F("4519", c="pmCrsIcCapableSum", h=["A: network assistance for CRS-IC UEs"])
F("4578", node="any", h=["P: return-loss supervision on the antenna line"])
F("4730", p="virtualSector", h=["P: split one LTE cell's antenna pattern into several virtual sector beams"])
F("4901", h=["A: full IRC with 4RX"])
F("4910", n=2)
F("4941", p="mechanicalAzimuth", node="any",
  h=["S: want to read and adjust the antenna azimuth remotely via AISG"])
F("5011", p="ulMaxMuMimoLayers", h=["A: UL MU-MIMO on n78 gNB-12"])
F("5130", p="dlMaxMuMimoLayers")
F("5398", p="maxNoOfAdvancedDlMuMimoLayers")
F("5017", h=["S: UEs on a high-speed train drop on the mmWave cells"])
F("2054", p="highSpeedUEActive", h=["S: high-speed train line, UEs at 300 km/h lose sync on LTE"])
F("5119", p="peerCellRef", h=["P: monitor time alignment between nodes via the radio interface"])
F("5153", p="ueCapPrioList", c="pmTm9PrioritizedUe")
F("5234", p="ulLayerSwitchQualThresh", h=["A: 2-layer UL SU-MIMO on NR"])
F("5241", n=2)
F("5262", c="pmUeEffDopplerSpeedDistr")
F("5330", p="antennaModelNumber", node="any")
F("5343", n=2)
F("5397", h=["P: PDCCH beamforming optimised for coverage and capacity on NR"])

# ---- Transport & Connectivity ----
F("0858", p="neighborDiscoveryTimeout")
F("1395", p="lacpEnabled", acr=True, h=["S: bundle two GE ports towards the site router with LACP"])
F("1896", h=["S: we need MTU 9000 on the transport interfaces"])
F("2024", p="s1GtpuEchoEnable", c="pmGtpuEchoRespNotRcvd", acr=True,
  h=["S: need to detect a dead S1-U path to the SGW"])
F("3096", p="nonPlannedPhysCellIdRange", h=["P: reserved PCI range for unplanned cells"])
F("4253", p="ccmInterval", h=["P: Ethernet OAM CFM (802.1ag) on the node"])
F("4411", h=["P: loopback IP interface on the node"])
F("4413", n=2)
F("4414", acr=True)
F("4550", h=["S: mirror traffic from a node port to a sniffer"])
F("5148", p="upX2IpAddress2Ref", h=["A: dual-stack IPv4/IPv6 on X2"])
F("5213", p="radioEquipmentOrdering")
F("5281", p="primaryAddress")
F("5376", p="upIpAddress2Mode")
F("5566", h=["S: verify backhaul throughput before putting the site on air"])
F("5623", p="neighborPortId")
F("5629", p="lowLatencySwitching")

# ---- Other ----
F("0487", n=2, h=["A: 64QAM DL on ERBS01, is that a separate licence?"])
F("0488", n=2, h=["A: is 16QAM UL something I need to enable on an LTE cell?"])
F("4422", h=["A: is 256QAM DL a licensed feature on LTE?"])
F("5183", p="instantDl256QamMode",
  h=["S: UEs only start using 256QAM some time after setup or HO, can it kick in straight away?"])
F("0498", p="ulGain", node="any", h=["P: TMA configuration on the node"])
F("0855", p="ailgLoadType", c="pmPrbUsedDlAilgHighPrio",
  h=["S: need to simulate DL load on an LTE cell for a drive test"])
F("0860", p="additionalPlmnList", c="pmPdcpVolDlDrbTransPlmn0")
F("1713", c="pmPdcpPktDiscDlAqm", h=["S: bufferbloat on LTE bearers, huge RTT for TCP downloads"])
F("1791", p="udpPort", node="any", h=["S: our probe tool needs to measure RTT to the node with TWAMP"])
F("4557", p="dstUdpPort", node="any", h=["S: the node itself should launch TWAMP test sessions towards the core router"])
F("1817", p="softLockRwRWaitTimerOperator", c="pmHoPrepRejInSl", acr=True,
  h=["S: want to empty an LTE cell gracefully before maintenance instead of a hard lock"])
F("1820", n=2)
F("2026", c="pmRaAttCbra", acr=True,
  h=["S: RACH root sequence collisions with neighbours, want them allocated automatically"])
F("2050", c="pmPwsCmasReq", acr=True, h=["S: need to broadcast CMAS/ETWS earthquake alerts on LTE"])
F("3033", h=["P: fractional pathloss compensation in UL power control"])
F("3045", c="pmNoOfLinkRestart", h=["S: the CPRI link to the radio keeps restarting, need link statistics"])
F("3049", p="crsGain", h=["S: want to boost CRS power by 3 dB to extend coverage"])
F("3054", p="mfbiSupport", acr=True,
  h=["S: band 4 cell also sits inside band 66, UEs that only support B66 can't use it"])
F("3059", p="mceFunctionId", h=["P: MCE inside the eNB instead of a standalone one"])
F("4556", p="serviceAreaId", h=["P: automatic MBSFN subframe configuration"])
F("3021", h=["A: eMBMS on ERBS01 for stadium video"])
F("3070", p="daylightSavingTimeOffset", h=["A: broadcast UTC and local time to UEs via SIB16"])
F("3079", p="energyMeterEnabled", c="pmMaxVoltage1", node="any",
  h=["S: need site power consumption readings from the radio node"])
F("3083", c="pmAdjustAccessDynLoadCtrl", acr=True)
F("3091", c="pmErabRelAbnormalEnbActOos")
F("3093", acr=True)
F("3097", c="pmRrcConnEstabFailMmeOvlMos",
  h=["S: the MME sends OVERLOAD START, the eNB should start rejecting MO signalling"])
F("4207", n=2)
F("4255", p="detectionTime", acr=True, node="any",
  h=["S: need sub-second detection of a failed next hop on the static route"])
F("4257", node="any", h=["S: keep OAM and traffic in separate routing instances on the node"])
F("4274", p="tddVoipDrxProfileId", h=["P: FDD and TDD cells on one eNB"])
F("4376", p="aclIngress", acr=True, node="any")
F("4412", p="adminDistance", node="any")
F("4418", p="crlGracePeriodTimer", node="any", h=["S: software upgrade package rejected by the signature check"])
F("4511", p="routingPolicyIngress", node="any", acr=True)
F("4573", p="laaChannelEvaluationTimer", h=["A: LAA in the 5 GHz band on LTE"])
F("4575", c="pmPDVFwdMax", h=["P: monitor transport path characteristics"])
F("4586", n=2, node="any")
F("4669", n=2)
F("4727", p="helloInterval", node="any")
F("4756", n=2)
F("4759", node="any", h=["S: capture packets on the node's own interface for troubleshooting"])
F("4769", n=2)
F("4795", p="profilePriority")
F("4797", p="preschedulingMode")
F("4881", c="pmUePeAttSrResPa")
F("4883", p="groupPrbUnit", c="pmMeasCellGroupDlPrbUsedDistr")
F("4885", p="dlPowerChangeRate", h=["S: reduce cell TX power gradually instead of an abrupt change"])
F("5049", n=2)
F("5058", p="localAccessId", h=["S: disable the local maintenance terminal port for security"])
F("5154", p="unsupportedFreqList", h=["S: some phones can't handle one of our bands, don't send them there"])
F("5231", h=["P: power adjustment to respect an EIRP limit"])
F("5282", acr=True)
F("5299", p="maxUsersRachSchedPusch")
F("5303", p="prachConfigurationIndex")
F("5310", n=2, node="any")
F("5314", n=2)
F("5338", n=2, node="any")
F("5345", p="puschPowerControlModeFr2")
F("5410", p="sCellActDeactDataThres")
F("5423", p="powerBackoffMode")
F("5424", p="actualPdcchRachBoost")
F("5427", n=2)
F("5577", p="ltePowerBackoffMode")
F("5589", p="unitOpticalIndicatorControl", node="any",
  h=["S: blink the LED on the radio so the field tech finds the right unit"])
F("5612", c="pmRaFailCbraMsg1DiscOoc")
F("5659", p="thdStatus", node="any", h=["S: radio units get stolen from sites, want them to be useless elsewhere"])
F("5752", n=2, node="any")
F("5755", h=["A: 8.8 MHz LTE carrier inside a 10 MHz block"])
F("5775", p="ulPrimaryPathMode")
F("5800", p="srbPriority")
F("5836", n=2)


# ---- features added in a second pass ----
F("3051", p="pdcchTargetBler", acr=True, h=["A: enhanced PDCCH LA on ERBS01"])
F("4476", p="enableUeAssistedSigReduction", h=["P: signalling reduction using UE assistance on LTE"])
F("4524", p="outOfCoverageThreshold",
  h=["S: UEs at the very edge keep sending SRs and waste UL grants although they are effectively out of coverage"])
F("4916", p="acBarringForMoData", h=["S: need different access barring settings per PLMN on a shared LTE cell"])
F("5160", p="extEndcAllowedPlmnListPolicy", c="pmEndcCapableUe")
F("5264", p="trsConfigMode", h=["P: flexible channel bandwidth for NR carriers"])
F("0781", n=2)
F("4629", n=2)
F("0549", n=2)
F("2021", n=2, node="any")
F("4993", n=2)
F("5339", n=2)
F("5326", n=2)

# ---- extra hand-written questions (second pass); each adds one question to the feature
EXTRA = [
    ("3046", "P: aggregating two LTE carriers for higher DL peak rates on ERBS01, what's the base feature?"),
    ("3009", "S: one LTE carrier sits at 90% PRB load while the other is at 20% on ERBS01, how do I even it out in connected mode?"),
    ("0497", "P: automatic neighbour relation handling for LTE cells"),
    ("5218", "P: automatic neighbour relations for NR cells on gNB-77"),
    ("1885", "P: minimise oscillating handovers per UE on LTE"),
    ("2051", "S: VoLTE UL at the cell edge runs out of link budget, want each packet sent over 4 consecutive TTIs"),
    ("3013", "P: mobility control for UEs whose coverage gets poor (LTE)"),
    ("4471", "P: lean carrier operation on LTE with CRS muting at low load"),
    ("3054", "P: multi band indicator support for overlapping LTE bands"),
    ("1817", "P: soft lock of an LTE cell"),
    ("5575", "P: soft-lock an NR cell so users are moved off first"),
    ("0876", "A: RIM-based SI delivery at CSFB redirect to GSM"),
    ("1039", "P: prioritise emergency calls at admission on LTE"),
    ("5411", "P: prioritise emergency calls on NR SA cells"),
    ("5187", "P: queue RRC connection requests at high load instead of rejecting them"),
    ("4708", "S: want to blank PDSCH subframes during a low-traffic window to save energy on LTE"),
    ("3089", "P: micro sleep of the transmitter on LTE"),
    ("5404", "P: deep sleep of the LTE radio unit"),
    ("5624", "S: baseband draws power all night with no traffic, can the compute go into deep sleep on gNB-12?"),
    ("5094", "P: massive MIMO sleep mode on the AIR units of gNB-12"),
    ("5724", "P: eco mode for massive MIMO radios on NR"),
    ("4330", "P: multi-user MIMO in the uplink for LTE"),
    ("5130", "A: DL MU-MIMO on low/mid-band NR (not the advanced mid-band one)"),
    ("5398", "A: advanced DL MU-MIMO for mid-band massive MIMO"),
    ("5262", "A: advanced DL SU-MIMO on mid-band"),
    ("5059", "S: voice calls on SA gNB-12 should be moved to LTE for VoLTE because we don't run VoNR yet"),
    ("4655", "S: IoT meters should sleep for long periods between paging occasions on LTE"),
    ("5700", "S: RedCap wearables on NR need long paging cycles to save battery"),
    ("3025", "P: combine several sectors into one LTE cell"),
    ("5554", "P: combine sector carriers into one NR cell on gNB-12"),
    ("5621", "P: PCI conflict detection for NR cells"),
    ("1713", "P: TCP-aware optimisation of LTE bearers"),
    ("1395", "P: link aggregation on the node's Ethernet ports"),
    ("4755", "A: PTP BC on the node"),
    ("2022", "A: 1588v2 time and phase sync with the node as PTP slave"),
    ("4728", "S: when GNSS is lost, keep time using SyncE as an assisting reference"),
    ("0864", "A: E-CID positioning via SUPL user plane"),
    ("0862", "A: OTDOA via SUPL user plane on LTE"),
    ("5782", "P: switch PDCCH monitoring search space groups to save UE power on NR"),
    ("5443", "S: UEs with little traffic should be moved to a narrow BWP to save power on NR"),
    ("5045", "P: switch NR component carriers on and off dynamically to save energy"),
    ("5470", "P: preschedule UL grants for VoLTE users"),
    ("5874", "P: adaptive single/dual codeword choice for VoLTE on LTE"),
    ("5235", "S: VoLTE users at the edge suffer UL interference, reserve a clean UL region for them"),
    ("4917", "A: progressive barring for special ACs 11-15"),
    ("5678", "A: UAC for mission-critical (MCX) users on NR"),
    ("5802", "P: prioritise paging access for priority UEs on NR"),
    ("5716", "P: decouple DL and UL PDCCH link adaptation on LTE"),
    ("5655", "P: detect remote (ducting) interference on NR TDD cells"),
    ("5501", "S: want the gNB to detect PIM automatically"),
    ("5436", "S: want the LTE cells on ERBS01 to detect PIM automatically"),
    ("5015", "P: EMF power lock on mid-band NR"),
    ("5500", "P: direction-dependent EMF power lock on mid-band NR"),
    ("5424", "S: UEs on mmWave fail initial access at the edge, boost PDCCH/PDSCH power for the RACH messages"),
    ("5145", "P: coverage-optimised UL transmission on mmWave"),
    ("5387", "P: coverage-optimised UL scheduling on FR2"),
    ("5299", "P: optimise UL peak throughput on high-band NR"),
    ("5345", "A: CLPC on FR2 cells"),
    ("5587", "A: CLPC for NR FR1 low/mid-band"),
    ("4904", "A: NR scheduler for mmWave"),
    ("4906", "A: NR scheduler on mid-band TDD"),
    ("5038", "A: NR scheduler for low-band FDD"),
    ("4903", "A: NR PHY for high-band (FR2)"),
    ("4905", "A: NR PHY on mid-band"),
    ("5037", "A: NR PHY for low-band"),
    ("4910", "P: massive MIMO on mmWave"),
    ("4911", "A: mMIMO on mid-band NR with 64T64R radios"),
    ("5241", "A: mMIMO on low-band NR"),
    ("4962", "A: coverage extension for mmWave NR"),
    ("5163", "S: low-band NR cell must reach UEs far beyond the normal propagation delay range"),
    ("5259", "A: extended propagation delay on FR2"),
    ("4756", "P: non-standard (flexible) channel bandwidths on LTE carriers"),
    ("5442", "P: NR UEs that only support a reduced bandwidth"),
    ("5410", "P: data-aware SCell activation and deactivation on NR"),
    ("5460", "P: intelligent SCell management for NR"),
    ("5458", "P: traffic steering between NR layers in SA"),
    ("5680", "P: offload NR SA traffic to LTE via inter-system HO at high load"),
    ("5696", "P: mobility on NR driven by the UE's data throughput"),
    ("5481", "P: rate-controlled scheduling on NR"),
    ("5402", "P: admission control based on UE priority on NR"),
    ("5832", "P: soft admission on NR when the cell is loaded"),
    ("5773", "P: admission and pre-emption adapted to the service on NR"),
    ("5095", "P: framework for RAN slicing on NR"),
    ("4983", "P: coverage-triggered session continuity towards NR from LTE"),
    ("5166", "S: emergency calls on gNB-12 (SA) need to fall back to LTE"),
    ("5830", "P: keep sending DL data in the same TTI as the handover command on NR"),
    ("5847", "S: PDCCH congestion on the gNB-12 cells, want the PDCCH beams optimised"),
    ("5475", "P: DL link adaptation per slot type on NR TDD"),
    ("5513", "P: link adaptation that adapts to the service on NR"),
    ("5528", "P: RLC poll retransmission adapted to the service on NR"),
    ("5775", "P: UL user plane profile per service (EN-DC UL split)"),
    ("5595", "P: SR periodicity adapted to the service on NR"),
    ("5324", "P: prescheduling adapted to the service on NR"),
    ("5325", "P: service-adaptive DRX on NR"),
    ("5758", "P: handling of aperiodic CSI triggers on NR"),
    ("5805", "P: power allocation optimised for energy on NR"),
    ("5806", "P: slot allocation optimised for energy on NR"),
    ("5769", "A: UL AoA for macro positioning"),
    ("5768", "A: hi-res TA for macro positioning"),
    ("5821", "S: need to locate a UE that has no PDU session on NR SA"),
    ("0859", "P: QoS-aware scheduling on LTE"),
    ("3087", "A: service or priority triggered IF HO at bearer setup"),
    ("1857", "P: the basic LTE admission control for GBR bearers and transport bandwidth"),
    ("5153", "P: idle mode control aware of TM9 capability"),
    ("5490", "S: privileged users should be able to pre-empt normal UEs, even moving them to another cell"),
    ("5577", "P: modulation-aware TX power back-off on LTE"),
    ("5423", "P: TX power back-off depending on modulation order on NR"),
    ("5303", "P: keep the PRACH configuration persistent on LTE"),
    ("5612", "P: restrict the random access range on LTE"),
    ("5445", "S: LTE radio overheats in summer, reduce load to avoid a shutdown"),
    ("5444", "S: NR radio overheating at noon on gNB-12"),
    ("5213", "P: share the fronthaul between radios"),
    ("5623", "P: point-to-multipoint fronthaul over packet"),
    ("5629", "P: switching in hardware for site connectivity"),
    ("5376", "P: multiple SeGW addresses for resilience"),
    ("5281", "P: several IP addresses on one VLAN"),
    ("4413", "A: L2 switching between the node's Ethernet ports"),
    ("4412", "P: static routes on the node"),
    ("4727", "A: OSPF on the node"),
    ("4511", "P: policy routing on the node"),
    ("5049", "P: A/B testing of settings with subscriber groups"),
    ("4797", "P: prescheduling per subscriber group"),
    ("1820", "P: cascading radio units in a chain"),
    ("3091", "S: want to reset just the LTE baseband, not the whole node"),
    ("5723", "S: need EDR-style threat detection running on the node"),
    ("5048", "P: QCI range extension for ASGH"),
    ("4576", "P: interference reports for the TDD UpPTS on LTE"),
    ("4157", "P: LTE UL interference reports per PRB"),
    ("2025", "P: enhanced cell ID info in LTE traces"),
    ("5343", "P: UE location in NR traces"),
]

# --------------------------------------------------------------------------
ACR_BLACKLIST = {  # catalog acronyms that clash with everyday RAN words or read as words
    "NSA", "CRS", "RSI", "PSS", "DUH", "USA", "AES", "SMB", "VON", "NUT", "FTSE", "RHC", "APE",
    "DIM", "MIS", "SLB", "SHB", "NOP", "NCR", "NM", "NS", "TB", "PM", "PC", "EM", "SR", "ES", "CC",
}


# the spelled-out parameter form ("sleep start time") is only used when it reads naturally
WORDS_BAD_LAST = {"enabled", "active", "ref", "id", "status", "wanted", "allowed", "support", "config"}
WORDS_BAD = {"thp", "det", "dyn", "inact", "est", "sig", "trig", "qual", "rwr", "lbdar", "eec", "cfra",
             "mcpc", "bg", "sec", "meas", "prio", "utra", "rs", "mlc", "ps", "comp", "ail", "ailg"}
# hand-written questions that deliberately use another feature's acronym as context
ALLOWED_MENTIONS = {"immediate MDT (M1) on NR cells", "full IRC with 4RX"}


def camel_words(attr):
    toks = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", attr)
    return [t.lower() for t in toks]


def main():
    feats = json.load(open(CATALOG))["features"]
    by_code = {f["fajCode"]: f for f in feats}
    names = {f["fajCode"]: f["name"] for f in feats}
    acr_count = collections.Counter(f["acronym"] for f in feats)
    name_count = collections.Counter(f["name"].lower() for f in feats)
    cxc_count = collections.Counter(f["cxc"] for f in feats if f["cxc"])
    bare_param = collections.defaultdict(set)
    words_param = collections.defaultdict(set)
    bare_counter = collections.defaultdict(set)
    for f in feats:
        for p in f["parameters"]:
            attr = p["name"].split(".", 1)[1]
            bare_param[attr.lower()].add(f["fajCode"])
            words_param[" ".join(camel_words(attr))].add(f["fajCode"])
        for c in f["counters"]:
            bare_counter[c.split(".", 1)[1].lower()].add(f["fajCode"])

    errors = []
    # one spec per feature; attach the second-pass questions
    seen, spec = {}, []
    for s in FEATURES:
        if s["code"] in seen:
            errors.append("feature listed twice: " + s["code"])
            continue
        seen[s["code"]] = s
        spec.append(s)
    for code, line in EXTRA:
        s = seen.get("FAJ 121 " + code)
        if s is None:
            errors.append("extra for unlisted feature " + code)
            continue
        s["h"].append(line)
        s["n"] += 1

    rng = random.Random(SEED)
    questions = []

    def node_for(s, f):
        kind = s["node"]
        if not kind:
            if f["category"] in ("Transport & Connectivity", "Security", "Timing & Sync"):
                kind = "any"
            elif f["access"] == "LTE":
                kind = "lte"
            elif f["access"] == "NR":
                kind = "nr"
            else:
                kind = "any"
        return rng.choice({"lte": LTE_NODES, "nr": NR_NODES, "any": ANY_NODES}[kind])

    used_text = set()

    def emit(text, code, style):
        key = text.lower()
        if key in used_text:
            errors.append("duplicate text: " + text)
            return
        used_text.add(key)
        questions.append({"text": text, "fajCode": code, "style": style})

    def fill(tpl, **kw):
        t = tpl.format(**kw)
        # occasionally capitalise, but never when the question starts with a slot value
        if rng.random() < 0.25 and tpl[0].isalpha() and tpl[0].islower():
            t = t[0].upper() + t[1:]
        return t

    style_map = {"S": "symptom", "P": "partial-name", "A": "abbreviation", "R": "parameter"}
    style_tally = collections.Counter()

    for s in spec:
        code = s["code"]
        f = by_code.get(code)
        if not f:
            errors.append("unknown code " + code)
            continue
        name, acr = f["name"], f["acronym"]
        # --- hand-written
        for h in s["h"]:
            st, text = h.split(": ", 1)
            emit(text, code, style_map[st])
        # --- templated candidates
        cands = []
        acr_ok = s["acr"]
        if acr_ok is None:
            acr_ok = (acr_count[acr] == 1 and len(acr.replace("-", "")) >= 3 and acr not in ACR_BLACKLIST
                      and not acr[0].isdigit())
        if acr_ok and acr_count[acr] != 1:
            errors.append(f"{code}: acronym {acr} is shared")
            acr_ok = False
        if name_count[name.lower()] != 1:
            errors.append(f"{code}: name {name} is shared")
        if s["p"]:
            full = [p["name"] for p in f["parameters"] if p["name"].split(".", 1)[1] == s["p"]]
            if not full:
                errors.append(f"{code}: param {s['p']} not in feature")
            elif bare_param[s["p"].lower()] != {code}:
                errors.append(f"{code}: param {s['p']} not unique {bare_param[s['p'].lower()]}")
            else:
                cands.append(("parameter", full[0]))
        if s["c"]:
            full = [c for c in f["counters"] if c.split(".", 1)[1] == s["c"]]
            if not full:
                errors.append(f"{code}: counter {s['c']} not in feature")
            elif bare_counter[s["c"].lower()] != {code}:
                errors.append(f"{code}: counter {s['c']} not unique")
            else:
                cands.append(("counter", full[0]))
        if acr_ok:
            cands.append(("acronym", acr))
        cands.append(("name", name))
        cands.append(("procedure", None))
        need = max(0, s["n"] - len(s["h"]))
        # order: parameter/counter first (strong signals), then the others in seeded order,
        # preferring the least-used styles so far
        strong = [c for c in cands if c[0] in ("parameter", "counter")]
        weak = [c for c in cands if c[0] not in ("parameter", "counter")]
        rng.shuffle(strong)
        rng.shuffle(weak)
        weak.sort(key=lambda c: style_tally[c[0]])
        chosen = (strong + weak)[:need]
        for st, val in chosen:
            style_tally[st] += 1
            node = node_for(s, f)
            if st == "name":
                x = name if rng.random() < 0.7 else name.lower()
                emit(fill(rng.choice(NAME_T), x=x, node=node), code, "name")
            elif st == "acronym":
                x = acr if rng.random() < 0.9 else acr.lower()
                emit(fill(rng.choice(ACR_T), x=x, node=node), code, "acronym")
            elif st == "procedure":
                if f["cxc"] and cxc_count[f["cxc"]] == 1 and rng.random() < 0.2:
                    emit(fill(rng.choice(CXC_T), cxc=f["cxc"], node=node), code, "procedure")
                else:
                    x = acr if (acr_ok and rng.random() < 0.35) else name
                    emit(fill(rng.choice(PROC_T), x=x, node=node), code, "procedure")
            elif st == "parameter":
                attr = val.split(".", 1)[1]
                words = camel_words(attr)
                wkey = " ".join(words)
                words_ok = (2 <= len(words) <= 5 and all(w.isalpha() and len(w) >= 2 for w in words)
                            and words_param[wkey] == {code}
                            and words[-1] not in WORDS_BAD_LAST and not set(words) & WORDS_BAD
                            and not any(re.search(r"\b" + re.escape(wkey) + r"\b", other)
                                        for other, owners in words_param.items()
                                        if other != wkey and owners != {code})
                            and not any(g["name"].lower() in wkey for g in feats if g["fajCode"] != code))
                r = rng.random()
                if words_ok and r < 0.3:
                    emit(fill(rng.choice(PARAM_WORDS_T), w=wkey, node=node), code, "parameter")
                else:
                    p = val if r < 0.65 else attr
                    emit(fill(rng.choice(PARAM_FULL_T), p=p, node=node), code, "parameter")
            elif st == "counter":
                c = val if rng.random() < 0.3 else val.split(".", 1)[1]
                emit(fill(rng.choice(COUNTER_T), c=c, node=node), code, "counter")

    # ---- validation of hand-written questions against the facts
    uniq_acrs = {f["acronym"]: f["fajCode"] for f in feats
                 if acr_count[f["acronym"]] == 1 and len(f["acronym"].replace("-", "")) >= 3}
    warnings = []
    for q in questions:
        f = by_code[q["fajCode"]]
        t = q["text"]
        tl = t.lower()
        if q["style"] == "parameter":
            forms = set()
            for p in f["parameters"]:
                attr = p["name"].split(".", 1)[1]
                if bare_param[attr.lower()] == {q["fajCode"]}:
                    forms.add(attr.lower())
                    if words_param[" ".join(camel_words(attr))] == {q["fajCode"]}:
                        forms.add(" ".join(camel_words(attr)))
            if not any(x in tl for x in forms):
                errors.append(f"parameter question names no unique parameter: {t}")
        if t in ALLOWED_MENTIONS:
            continue
        if q["style"] in ("symptom", "partial-name", "abbreviation"):
            if f["name"].lower() in tl:
                errors.append(f"contains own name: {t}")
            if re.search(r"(?<![\w-])" + re.escape(f["acronym"]) + r"(?![\w-])", t, re.I):
                errors.append(f"contains own acronym: {t}")
        # mentions of other features' full names / acronyms
        for g in feats:
            if g["fajCode"] == q["fajCode"]:
                continue
            gn = g["name"].lower()
            if (len(gn) >= 12 or " " in gn) and gn in tl and gn not in f["name"].lower():
                warnings.append(f"mentions other name '{g['name']}': {t}")
        for a, gc in uniq_acrs.items():
            if gc != q["fajCode"] and a not in ACR_BLACKLIST and a not in f["name"] and re.search(
                    r"(?<![\w-])" + re.escape(a) + r"(?![\w-])", t):
                warnings.append(f"mentions other acronym '{a}': {t}")

    # ---- split: whole features, ~30 % per category, seeded
    split_rng = random.Random(SEED + 1)
    codes_by_cat = collections.defaultdict(list)
    for code in sorted({q["fajCode"] for q in questions}):
        codes_by_cat[by_code[code]["category"]].append(code)
    holdout = set()
    for cat in sorted(codes_by_cat):
        codes = codes_by_cat[cat]
        k = round(len(codes) * HOLDOUT_FRACTION)
        holdout.update(split_rng.sample(codes, k))
    for q in questions:
        q["split"] = "holdout" if q["fajCode"] in holdout else "dev"

    questions.sort(key=lambda q: (q["fajCode"], q["style"], q["text"]))

    if errors:
        print("ERRORS:\n  " + "\n  ".join(errors), file=sys.stderr)
        sys.exit(1)
    for w in warnings:
        print("warning:", w, file=sys.stderr)

    about = (
        "Labelled routing questions for the elex swarm: free-text questions a RAN engineer might ask, each "
        "with the single Ericsson feature (fajCode) that answers it, from /work/shared/catalog/ran-features.json. "
        "Written by hand (symptom / partial-name / abbreviation styles, never containing the feature's exact name "
        "or acronym; plus 3 parameter questions) or filled from varied hand-written phrase pools (name / acronym / procedure / parameter / "
        "counter) by bench/swarm/make_questions.py (deterministic, seed %d). Unambiguity: named parameters and "
        "counters belong to exactly one feature in the catalog (checked on the bare attribute / pm name); "
        "acronym questions use only acronyms unique in the catalog (the 13 shared ones are never used as the "
        "only cue); the two 'X2 Configuration' and two 'Location Support' features and the generic 'Scheduler' are left out; symptom "
        "questions were only written where the facts point at one feature (an LTE/NR twin is disambiguated by "
        "node naming: ERBS/eNB = LTE, gNB = NR). split: whole features, ~30%% of the features of each category "
        "chosen at random (seed %d) are 'holdout', the rest 'dev'." % (SEED, SEED + 1))
    json.dump({"about": about, "questions": questions}, open(OUT, "w"), indent=1, ensure_ascii=False)
    open(OUT, "a").write("\n")

    # ---- report
    st = collections.Counter(q["style"] for q in questions)
    sp = collections.Counter(q["split"] for q in questions)
    nfeat = len({q["fajCode"] for q in questions})
    cats = collections.Counter(by_code[c]["category"] for c in {q["fajCode"] for q in questions})
    acc = collections.Counter(by_code[c]["access"] for c in {q["fajCode"] for q in questions})
    print(f"questions={len(questions)} features={nfeat}")
    print("styles:", dict(st))
    print("splits:", dict(sp), "holdout features:", len(holdout))
    print("categories:", dict(cats))
    print("access:", dict(acc))
    nn = sum(1 for q in questions if q["style"] in ("symptom", "partial-name", "abbreviation"))
    print(f"symptom/partial/abbrev share: {nn}/{len(questions)} = {nn / len(questions):.1%}")


if __name__ == "__main__":
    main()
