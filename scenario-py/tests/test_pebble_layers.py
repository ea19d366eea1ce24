"""Pebble's layers, plan, services, health checks and notices, under both APIs: add_layer
(combining with Pebble's override rules, in the order added), get_plan, services started,
stopped and signalled, checks and their infos, notices and the check and notice events;
and the Container of the State that holds them (its plan, services, check infos and
notices).

Behaviour is the originals' except where the README's "Where this differs" lists say
otherwise; those tests say so in a comment. Under ops[testing] a new layer or a replan
starts checks in the output's check infos (a Scenario 5 output keeps none); those tests
run under ops[testing] only.
"""

import datetime
import os
import signal
from typing import ClassVar

import ops
import pytest
from apis import ops_testing, scenario_5
from charm_probe import (
    HAS_CHECK_EVENTS,
    META,
    ProbeCharm,
    api_error,
    in_charm,
    raises_in_charm,
)
from ops import pebble

from scenario import CheckInfo, Container, Context, Notice, State
from scenario.errors import JujuStricterWarning, NoObserverError

# ops 3 names "every user's notices" NoticesUsers.ALL (get_notices(users=...)); ops 2.10
# named it NoticesSelect.ALL (get_notices(select=...)).
if hasattr(pebble, "NoticesUsers"):
    ALL_USERS = {"users": pebble.NoticesUsers.ALL}
else:
    ALL_USERS = {"select": pebble.NoticesSelect.ALL}


LAYER = {
    "summary": "base layer",
    "services": {
        "web": {
            "override": "replace",
            "command": "/bin/web --port 80",
            "startup": "enabled",
            "environment": {"A": "1"},
        },
        "idle": {"override": "replace", "command": "/bin/idle", "startup": "disabled"},
    },
}


CHECKS_LAYER = {
    "checks": {
        "alive-chk": {"override": "replace", "level": "alive", "exec": {"command": "true"}},
        "ready-chk": {
            "override": "replace",
            "level": "ready",
            "threshold": 5,
            "http": {"url": "http://localhost/ready"},
        },
    },
}


def with_layer(layer=None, **kwargs) -> Container:
    return Container(
        "foo", can_connect=True, layers={"base": pebble.Layer(layer or LAYER)}, **kwargs
    )


def test_add_layer_new_label_and_output_layers(api):
    def probe(c):
        c.add_layer("base", LAYER)
        return c.get_plan().to_dict()

    plan, out = in_charm(api, probe)
    assert plan["services"]["web"]["command"] == "/bin/web --port 80"
    layers = out.get_container("foo").layers
    assert list(layers) == ["base"]
    assert isinstance(layers["base"], pebble.Layer)
    assert layers["base"].to_dict() == pebble.Layer(LAYER).to_dict()


@pytest.mark.parametrize(
    "as_layer",
    [
        lambda d: d,
        lambda d: pebble.Layer(d).to_yaml(),
        lambda d: pebble.Layer(d),
    ],
    ids=["dict", "str", "Layer"],
)
def test_add_layer_accepts_dict_str_and_layer(api, as_layer):
    def probe(c):
        c.add_layer("base", as_layer(LAYER))
        return c.get_plan().services["web"].command

    command, out = in_charm(api, probe)
    assert command == "/bin/web --port 80"
    assert out.get_container("foo").layers["base"].to_dict() == pebble.Layer(LAYER).to_dict()


def test_add_layer_new_label_without_override_is_stricter(api):
    # 5.8.1 only asked for `override` when combining; Pebble asks
    # for it in every layer, so the layer is added with a JujuStricterWarning.
    def probe(c):
        c.add_layer("plain", {"services": {"s": {"command": "/bin/s", "startup": "enabled"}}})
        return c.get_plan().services["s"].command

    with pytest.warns(JujuStricterWarning, match=r"services\['s'\]\['override'\] is missing"):
        command, _ = in_charm(api, probe)
    assert command == "/bin/s"


def test_add_layer_values_pebble_refuses_are_stricter(api):
    def probe(c):
        c.add_layer("odd", {"services": {"s": {"override": "replace", "startup": "on"}}})
        return c.get_plan().services["s"].startup

    with pytest.warns(JujuStricterWarning, match=r"startup'\] is \"on\".*enabled, disabled"):
        in_charm(api, probe)


def test_add_layer_existing_label_without_combine(api):
    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", LAYER)

    err = api_error(api, probe)
    assert err.code == 400
    assert "base" in err.message
    assert "already exists" in err.message


def test_add_layer_combine_merge(api):
    over = {
        "services": {
            "web": {"override": "merge", "environment": {"B": "2"}, "user": "app"},
            "extra": {"override": "merge", "command": "/bin/extra"},
        }
    }

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", over, combine=True)
        return c.get_plan().services

    services, out = in_charm(api, probe)
    web = services["web"]
    assert web.command == "/bin/web --port 80"
    assert web.environment == {"A": "1", "B": "2"}
    assert web.user == "app"
    assert services["extra"].command == "/bin/extra"
    # Combining changes the stored layer, it does not add one.
    assert list(out.get_container("foo").layers) == ["base"]
    stored = out.get_container("foo").layers["base"].services["web"]
    assert stored.environment == {"A": "1", "B": "2"}


def test_add_layer_combine_replace(api):
    over = {"services": {"web": {"override": "replace", "command": "/bin/other"}}}

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", over, combine=True)
        return c.get_plan().services["web"].to_dict()

    web, _ = in_charm(api, probe)
    assert web == {"override": "replace", "command": "/bin/other"}


def test_add_layer_combine_merges_checks_and_log_targets(api):
    # Deliberate difference: combine merges checks and log targets too (5.8.1 dropped them).
    base = {
        "checks": {"up": {"override": "replace", "level": "alive", "threshold": 2}},
        "log-targets": {
            "loki": {"override": "replace", "type": "loki", "location": "http://a"},
        },
    }
    over = {
        "checks": {"up": {"override": "merge", "threshold": 9}},
        "log-targets": {"loki": {"override": "merge", "location": "http://b"}},
    }

    def probe(c):
        c.add_layer("base", base)
        c.add_layer("base", over, combine=True)
        return c.get_plan().to_dict()

    plan, _ = in_charm(api, probe)
    assert plan["checks"]["up"]["threshold"] == 9
    assert plan["checks"]["up"]["level"] == "alive"
    assert plan["log-targets"]["loki"]["location"] == "http://b"
    assert plan["log-targets"]["loki"]["type"] == "loki"


def test_add_layer_combine_with_new_label_adds_it(api):
    def probe(c):
        c.add_layer("fresh", LAYER, combine=True)
        return c.get_plan().services["idle"].command

    command, out = in_charm(api, probe)
    assert command == "/bin/idle"
    assert list(out.get_container("foo").layers) == ["fresh"]


@pytest.mark.parametrize(
    "override, problem",
    [(None, "must define"), ("append", "invalid")],
    ids=["missing", "invalid"],
)
def test_add_layer_combine_bad_override(api, override, problem):
    # Deliberate difference: an APIError 400 (5.8.1 raised RuntimeError).
    service = {"command": "/bin/x"}
    if override is not None:
        service["override"] = override

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", {"services": {"web": service}}, combine=True)

    err = api_error(api, probe)
    assert err.code == 400
    assert problem in err.message
    assert "web" in err.message
    assert "override" in err.message


def test_add_layer_combine_bad_override_changes_nothing(api):
    def probe(c):
        c.add_layer("base", LAYER)
        with pytest.raises(pebble.APIError):
            c.add_layer(
                "base",
                {
                    "services": {
                        "idle": {"override": "replace", "command": "/bin/changed"},
                        "web": {"command": "/bin/no-override"},
                    }
                },
                combine=True,
            )
        return c.get_plan().services["idle"].command

    command, _ = in_charm(api, probe)
    assert command == "/bin/idle"


@pytest.mark.parametrize("label", [42, None, b"base"])
def test_add_layer_non_str_label(api, label):
    err = raises_in_charm(api, TypeError, lambda c: c.add_layer(label, LAYER))
    assert "label" in str(err)


def test_add_layer_bad_layer_type(api):
    raises_in_charm(api, TypeError, lambda c: c.add_layer("base", 42))


def test_layers_apply_in_the_order_they_were_added(api):
    # Deliberate difference: layers apply in insertion order (5.8.1 sorted the labels).
    def probe(c):
        c.add_layer("zzz", {"services": {"svc": {"override": "replace", "command": "first"}}})
        c.add_layer("aaa", {"services": {"svc": {"override": "replace", "command": "second"}}})
        return c.get_plan().services["svc"].command

    command, out = in_charm(api, probe)
    assert command == "second"
    assert list(out.get_container("foo").layers) == ["zzz", "aaa"]


def test_get_plan_services_and_checks(api):
    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("checks", CHECKS_LAYER)
        return c.get_plan()

    plan, _ = in_charm(api, probe)
    assert isinstance(plan, pebble.Plan)
    assert sorted(plan.services) == ["idle", "web"]
    assert plan.services["web"].startup == "enabled"
    # Deliberate difference: the plan includes checks (and log targets).
    assert sorted(plan.checks) == ["alive-chk", "ready-chk"]
    assert plan.checks["ready-chk"].level == pebble.CheckLevel.READY
    assert plan.checks["ready-chk"].threshold == 5


def test_get_plan_log_targets(api):
    layer = {
        "log-targets": {
            "loki": {
                "override": "replace",
                "type": "loki",
                "location": "http://l",
                "services": ["all"],
            }
        }
    }
    plan, _ = in_charm(api, lambda c: c.get_plan().to_dict(), with_layer(layer))
    assert plan["log-targets"]["loki"]["type"] == "loki"


def test_get_plan_includes_base_plan(api):
    base_plan = {"services": {"base-svc": {"override": "replace", "command": "sleep"}}}
    container = Container("foo", can_connect=True, _base_plan=base_plan, layers={})

    def probe(c):
        c.add_layer("l", {"services": {"web": {"override": "replace", "command": "w"}}})
        return c.get_plan().services

    services, _ = in_charm(api, probe, container)
    assert sorted(services) == ["base-svc", "web"]
    assert services["base-svc"].command == "sleep"


def test_get_plan_of_an_empty_container(api):
    plan, _ = in_charm(api, lambda c: c.get_plan().to_dict())
    assert plan == {}


# =========================================================================================
# Services
# =========================================================================================


def test_get_services_and_get_service(api):
    def probe(c):
        return c.get_services(), c.get_service("web"), c.get_services("idle")

    (every, web, only_idle), _ = in_charm(api, probe, with_layer())
    assert sorted(every) == ["idle", "web"]
    assert web.name == "web"
    assert web.startup == pebble.ServiceStartup.ENABLED
    assert web.current == pebble.ServiceStatus.INACTIVE
    assert every["idle"].startup == pebble.ServiceStartup.DISABLED
    assert list(only_idle) == ["idle"]


def test_get_service_unknown_is_model_error(api):
    err = raises_in_charm(api, ops.ModelError, lambda c: c.get_service("nope"), with_layer())
    assert "nope" in str(err)


def test_start_stop_restart(api):
    def probe(c):
        seen = []
        c.start("web")
        seen.append(c.get_service("web").is_running())
        c.stop("web")
        seen.append(c.get_service("web").is_running())
        c.restart("web", "idle")
        seen.append(c.get_service("web").is_running())
        seen.append(c.get_service("idle").is_running())
        return seen

    seen, out = in_charm(api, probe, with_layer())
    assert seen == [True, False, True, True]
    assert out.get_container("foo").service_status == {
        "web": pebble.ServiceStatus.ACTIVE,
        "idle": pebble.ServiceStatus.ACTIVE,
    }


def test_stop_leaves_inactive_in_output_service_status(api):
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    _, out = in_charm(api, lambda c: c.stop("web"), container)
    assert out.get_container("foo").service_status == {"web": pebble.ServiceStatus.INACTIVE}


@pytest.mark.parametrize("method", ["replan", "autostart"])
def test_replan_and_autostart_start_enabled_services(api, method):
    def probe(c):
        getattr(c, method)()
        return {name: s.current for name, s in c.get_services().items()}

    seen, out = in_charm(api, probe, with_layer())
    assert seen == {"idle": pebble.ServiceStatus.INACTIVE, "web": pebble.ServiceStatus.ACTIVE}
    assert out.get_container("foo").service_status.get("web") == pebble.ServiceStatus.ACTIVE
    assert out.get_container("foo").service_status.get("idle", pebble.ServiceStatus.INACTIVE) == (
        pebble.ServiceStatus.INACTIVE
    )


@pytest.mark.parametrize("method", ["start", "stop", "restart"])
def test_unknown_service_is_api_error_400(api, method):
    # Deliberate difference: APIError 400 (5.8.1 raised RuntimeError("400 Bad Request ...")).
    err = api_error(api, lambda c: getattr(c, method)("web", "nope"), with_layer())
    assert err.code == 400
    assert "nope" in err.message


def test_unknown_service_changes_nothing(api):
    def probe(c):
        with pytest.raises(pebble.APIError):
            c.start("web", "nope")
        return c.get_service("web").is_running()

    running, out = in_charm(api, probe, with_layer())
    assert running is False
    assert out.get_container("foo").service_status == {}


def test_service_status_input_is_seen(api):
    container = with_layer(
        service_status={
            "web": pebble.ServiceStatus.ACTIVE,
            "idle": pebble.ServiceStatus.ERROR,
        }
    )

    def probe(c):
        return {name: s.current for name, s in c.get_services().items()}

    seen, out = in_charm(api, probe, container)
    assert seen == {"web": pebble.ServiceStatus.ACTIVE, "idle": pebble.ServiceStatus.ERROR}
    assert out.get_container("foo").service_status == container.service_status


def test_base_plan_services_are_visible_and_startable(api):
    # Deliberate difference: services of the base plan are visible (5.8.1 hid them).
    container = Container(
        "foo",
        can_connect=True,
        _base_plan={
            "services": {"base-svc": {"override": "replace", "command": "s", "startup": "enabled"}}
        },
    )

    def probe(c):
        names = sorted(c.get_services())
        c.start("base-svc")
        return names, c.get_service("base-svc").is_running()

    (names, running), out = in_charm(api, probe, container)
    assert names == ["base-svc"]
    assert running is True
    assert out.get_container("foo").service_status == {"base-svc": pebble.ServiceStatus.ACTIVE}


# =========================================================================================
# Signals
# =========================================================================================


def test_send_signal_to_a_running_service(api):
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})

    def probe(c):
        c.send_signal("SIGHUP", "web")
        c.send_signal(signal.SIGTERM, "web")
        return c.get_service("web").current

    current, out = in_charm(api, probe, container)
    # Nothing else happens: the service is still running.
    assert current == pebble.ServiceStatus.ACTIVE
    assert out.get_container("foo").service_status == {"web": pebble.ServiceStatus.ACTIVE}


@pytest.mark.parametrize("name", ["web", "idle", "nope"])
def test_send_signal_to_a_stopped_or_unknown_service(api, name):
    container = with_layer(service_status={"web": pebble.ServiceStatus.INACTIVE})
    err = api_error(api, lambda c: c.send_signal("SIGHUP", name), container)
    assert err.code == 500
    assert name in err.message
    assert "not running" in err.message


def test_send_signal_unknown_signal_name(api):
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    err = api_error(api, lambda c: c.send_signal("SIGNOPE", "web"), container)
    assert err.code == 500
    assert "SIGNOPE" in err.message


def test_send_signal_without_services(api):
    raises_in_charm(api, TypeError, lambda c: c.send_signal("SIGHUP"), with_layer())


# =========================================================================================
# Checks
# =========================================================================================


def test_get_checks(api):
    # Deliberate difference: checks are reported (5.8.1 raised NotImplementedError).
    container = with_layer(CHECKS_LAYER)

    def probe(c):
        return (
            c.get_checks(),
            c.get_checks(level=pebble.CheckLevel.READY),
            c.get_check("ready-chk"),
        )

    (every, ready, one), _ = in_charm(api, probe, container)
    assert sorted(every) == ["alive-chk", "ready-chk"]
    assert all(isinstance(info, pebble.CheckInfo) for info in every.values())
    assert every["alive-chk"].level == pebble.CheckLevel.ALIVE
    assert every["alive-chk"].status == pebble.CheckStatus.UP
    assert every["ready-chk"].level == pebble.CheckLevel.READY
    assert list(ready) == ["ready-chk"]
    assert one.name == "ready-chk"
    assert one.threshold == 5
    assert one.failures == 0


def test_get_checks_after_add_layer(api):
    def probe(c):
        before = dict(c.get_checks())
        c.add_layer("checks", CHECKS_LAYER)
        return before, sorted(c.get_checks())

    (before, after), _ = in_charm(api, probe)
    assert before == {}
    assert after == ["alive-chk", "ready-chk"]


HAS_CHECK_STARTUP = "startup" in pebble.Check("c", {"startup": "disabled"}).to_dict()


# ops 2.10 knows only the check statuses up and down and the notice type custom; ops
# gives any other as the plain string Pebble sent.
INACTIVE = getattr(pebble.CheckStatus, "INACTIVE", "inactive")


CHANGE_UPDATE = getattr(pebble.NoticeType, "CHANGE_UPDATE", "change-update")


OFF_STATUS = INACTIVE if HAS_CHECK_STARTUP else pebble.CheckStatus.UP


STARTUP_CHECKS_LAYER = pebble.Layer(
    {
        "checks": {
            "alive": {
                "override": "replace",
                "level": "alive",
                "threshold": 5,
                "exec": {"command": "a"},
            },
            "ready": {"override": "replace", "level": "ready", "exec": {"command": "r"}},
            "off": {"override": "replace", "startup": "disabled", "exec": {"command": "o"}},
        }
    }
)


def down_alive():
    return CheckInfo(
        "alive",
        level=pebble.CheckLevel.ALIVE,
        threshold=5,
        status=pebble.CheckStatus.DOWN,
        failures=5,
    )


def checks_container(**kwargs):
    kwargs.setdefault("can_connect", True)
    return Container("foo", layers={"base": STARTUP_CHECKS_LAYER}, **kwargs)


def test_get_checks_answers_from_check_infos(api):
    container = checks_container(check_infos={down_alive()})

    def probe(c):
        return {
            name: (i.status, i.failures, i.threshold, i.level)
            for name, i in c.get_checks().items()
        }

    checks, _ = in_charm(api, probe, container)
    assert checks["alive"] == (pebble.CheckStatus.DOWN, 5, 5, pebble.CheckLevel.ALIVE)
    # Checks of the plan the State gives no info for read as Pebble just started them
    # (ops[testing] 8.9 left them out).
    assert checks["ready"][0] == pebble.CheckStatus.UP
    assert checks["off"][0] == OFF_STATUS


def test_get_checks_filters_by_level_and_name(api):
    def probe(c):
        return sorted(c.get_checks(level=pebble.CheckLevel.READY)), sorted(
            c.get_checks("alive", "off")
        )

    (by_level, by_name), _ = in_charm(api, probe, checks_container(check_infos={down_alive()}))
    assert by_level == ["ready"]
    assert by_name == ["alive", "off"]


def test_get_check_of_an_info(api):
    container = checks_container(check_infos={down_alive()})
    status, _ = in_charm(api, lambda c: c.get_check("alive").status, container)
    assert status == pebble.CheckStatus.DOWN


def test_get_checks_answers_while_disconnected_under_ops_testing():
    # As ops[testing] 8.9 does; a unit's Pebble would refuse, hence the warning (which 8.9
    # does not give). Scenario 5 runs need can_connect for it (the test below).
    container = checks_container(can_connect=False, check_infos={down_alive()})
    with pytest.warns(JujuStricterWarning, match='get_checks on container "foo"'):
        status, _ = in_charm(ops_testing(), lambda c: c.get_checks()["alive"].status, container)
    assert status == pebble.CheckStatus.DOWN


@pytest.mark.parametrize(
    "call", [lambda c: c.get_checks(), lambda c: c.get_notices()], ids=["checks", "notices"]
)
def test_get_checks_and_notices_need_pebble_under_scenario_5(call):
    # ops[testing] answers them while disconnected, with a warning (the tests above and in
    # Notices below).
    container = checks_container(can_connect=False, check_infos={down_alive()})
    err = raises_in_charm(scenario_5(), pebble.ConnectionError, call, container)
    assert "can_connect" in str(err)


def test_add_layer_starts_its_checks_in_the_output_under_ops_testing(testing):
    def probe(c):
        c.add_layer("checks", STARTUP_CHECKS_LAYER)
        return {name: i.status for name, i in c.get_checks().items()}

    statuses, out = in_charm(ops_testing(testing), probe, Container("foo", can_connect=True))
    infos = {i.name: i for i in out.get_container("foo").check_infos}
    assert sorted(infos) == ["alive", "off", "ready"]
    assert infos["alive"].status == pebble.CheckStatus.UP
    assert infos["alive"].change_id
    assert infos["alive"].threshold == 5
    assert infos["alive"].level == pebble.CheckLevel.ALIVE
    assert infos["off"].status == OFF_STATUS
    assert bool(infos["off"].change_id) is not HAS_CHECK_STARTUP
    assert statuses == {name: info.status for name, info in infos.items()}


def test_replan_starts_stopped_enabled_checks_under_ops_testing(testing):
    stopped = CheckInfo("ready", level="ready", status=INACTIVE)
    _, out = in_charm(
        ops_testing(testing), lambda c: c.replan(), checks_container(check_infos={stopped})
    )
    infos = {i.name: i for i in out.get_container("foo").check_infos}
    assert infos["ready"].status == pebble.CheckStatus.UP
    assert infos["ready"].change_id
    assert infos["alive"].status == pebble.CheckStatus.UP
    # A disabled check is not started by a replan.
    assert ("off" in infos) is not HAS_CHECK_STARTUP


def test_add_layer_and_replan_leave_the_check_infos_under_scenario_5():
    # A Scenario 5 output keeps the check infos the State gave (5.8.1 had none), while the
    # charm reads its checks as Pebble runs them; ops[testing] starts them in the output
    # (the two tests above).
    def probe(c):
        c.add_layer("checks", STARTUP_CHECKS_LAYER)
        return c.get_checks()["alive"].status

    status, out = in_charm(scenario_5(), probe, Container("foo", can_connect=True))
    assert status == pebble.CheckStatus.UP
    assert not out.get_container("foo").check_infos
    stopped = CheckInfo("ready", level="ready", status=INACTIVE)
    _, out = in_charm(scenario_5(), lambda c: c.replan(), checks_container(check_infos={stopped}))
    assert list(out.get_container("foo").check_infos) == [stopped]


def start_checks(c, *names):
    # ops 2.10's Container has no start_checks/stop_checks (ops 2.18 added them); the mock
    # client has them on every ops, so on 2.10 the charm calls the client directly.
    if hasattr(c, "start_checks"):
        return c.start_checks(*names)
    return c.pebble.start_checks(list(names))


def stop_checks(c, *names):
    if hasattr(c, "stop_checks"):
        return c.stop_checks(*names)
    return c.pebble.stop_checks(list(names))


def test_stop_and_start_checks_change_the_output_status(api):
    def probe(c):
        stopped = stop_checks(c, "alive", "off")
        again = stop_checks(c, "alive")
        return stopped, again, c.get_check("alive").status

    (stopped, again, status), out = in_charm(
        api, probe, checks_container(check_infos={down_alive()})
    )
    # A disabled check is not running, so there was nothing to stop.
    assert stopped == (["alive"] if HAS_CHECK_STARTUP else ["alive", "off"])
    assert again == []
    assert status == INACTIVE
    info = out.get_container("foo").get_check_info("alive")
    assert info.status == INACTIVE
    assert not info.change_id

    started, out = in_charm(
        api, lambda c: start_checks(c, "alive", "ready", "off"), out.get_container("foo")
    )
    # "ready" was running; "off" had stopped (disabled, or stopped above).
    assert started == ["alive", "off"]
    info = out.get_container("foo").get_check_info("alive")
    assert (info.status, info.failures) == (pebble.CheckStatus.UP, 0)
    assert info.change_id


def test_start_an_unknown_check(api):
    container = checks_container()
    err = raises_in_charm(
        api, pebble.APIError, lambda c: start_checks(c, "alive", "nope"), container
    )
    assert err.code == 404
    assert err.message == 'cannot find check with name "nope"'


def test_stop_checks_needs_pebble(api):
    container = checks_container(can_connect=False, check_infos={down_alive()})
    err = raises_in_charm(
        api, pebble.ConnectionError, lambda c: stop_checks(c, "alive"), container
    )
    assert "can_connect" in str(err)


@pytest.mark.parametrize("kind", ["failed", "recovered"])
def test_check_events_carry_the_check(api, kind):
    info = down_alive()
    container = checks_container(check_infos={info})
    ctx = Context(ProbeCharm, meta=META)
    event = api.event(ctx, f"pebble_check_{kind}", container, info)
    ProbeCharm.seen = None
    if not HAS_CHECK_EVENTS:
        # ops 2.10 has no check events, so there is nothing to emit; what ops 2.10 has is
        # get_check, tested above.
        with pytest.raises(NoObserverError):
            ctx.run(event, State(containers={container}))
        assert ProbeCharm.seen is None
        return
    ctx.run(event, State(containers={container}))
    name = "PebbleCheckFailedEvent" if kind == "failed" else "PebbleCheckRecoveredEvent"
    assert ProbeCharm.seen == (name, "alive", pebble.CheckStatus.DOWN, 5)


# =========================================================================================
# pebble-ready
# =========================================================================================


class ReadyCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_pebble_ready, self._on_ready)

    def _on_ready(self, event: ops.PebbleReadyEvent):
        ReadyCharm.seen.append(
            (
                os.environ.get("JUJU_WORKLOAD_NAME"),
                event.workload.name,
                event.workload is self.unit.get_container("foo"),
                event.workload.can_connect(),
            )
        )


def test_pebble_ready_workload_and_env(api):
    container = Container("foo", can_connect=True)
    ReadyCharm.seen = []
    api.run(
        Context(ReadyCharm, meta=META), "pebble_ready", State(containers=[container]), container
    )
    assert ReadyCharm.seen == [("foo", "foo", True, True)]


class TwoCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.bar_pebble_ready, self._on_ready)

    def _on_ready(self, event):
        TwoCharm.seen.append((os.environ["JUJU_WORKLOAD_NAME"], event.workload.name))


def test_pebble_ready_with_two_containers_names_the_right_one(api):
    meta = {"name": "foo", "containers": {"foo": {}, "bar": {}}}
    foo = Container("foo", can_connect=True)
    bar = Container("bar", can_connect=True)
    TwoCharm.seen = []
    api.run(Context(TwoCharm, meta=meta), "pebble_ready", State(containers=[foo, bar]), bar)
    assert TwoCharm.seen == [("bar", "bar")]


# =========================================================================================
# Notices
# =========================================================================================


T0 = "2024-05-01T10:00:00+00:00"


def notice(key, **kwargs):
    for field in ("first_occurred", "last_occurred", "last_repeated"):
        kwargs.setdefault(field, T0)
    return Notice(key, **kwargs)


PUBLIC = notice(
    "example.com/public", last_data={"k": "v"}, last_repeated="2024-05-01T12:00:00+00:00"
)


ROOTS = notice(
    "example.com/root", user_id=0, type="change-update", last_repeated="2024-05-01T11:00:00+00:00"
)


USERS = notice("example.com/user", user_id=1000)


def notices_container(**kwargs):
    kwargs.setdefault("can_connect", True)
    return Container("foo", notices=[PUBLIC, ROOTS, USERS], **kwargs)


def keys(notices):
    return [n.key for n in notices]


def test_get_notices_of_the_charm_sorted_by_last_repeated(api):
    found, _ = in_charm(api, lambda c: c.get_notices(), notices_container())
    # The charm asks as root: root's notices and public ones, least recently repeated first.
    assert keys(found) == ["example.com/root", "example.com/public"]
    public = found[1]
    assert isinstance(public, pebble.Notice)
    assert public.id == PUBLIC.id
    assert public.type == pebble.NoticeType.CUSTOM
    assert public.last_data == {"k": "v"}
    assert public.occurrences == 1
    assert public.user_id is None


def test_get_notices_of_a_user_and_of_all(api):
    def probe(c):
        return keys(c.get_notices(user_id=1000)), keys(c.get_notices(**ALL_USERS))

    (theirs, every), _ = in_charm(api, probe, notices_container())
    assert theirs == ["example.com/user", "example.com/public"]
    assert every == ["example.com/user", "example.com/root", "example.com/public"]


def test_get_notices_by_type_and_key(api):
    # ops[testing] 8.9 matched no notice by type (it compared the enum with strings).
    def probe(c):
        return (
            keys(c.get_notices(types=[pebble.NoticeType.CUSTOM], **ALL_USERS)),
            keys(c.get_notices(types=["change-update"])),
            keys(c.get_notices(keys=["example.com/public", "example.com/user"])),
        )

    (custom, changes, by_key), _ = in_charm(api, probe, notices_container())
    assert custom == ["example.com/user", "example.com/public"]
    assert changes == ["example.com/root"]
    assert by_key == ["example.com/public"]


def test_get_notices_all_users_and_one_user_conflict(api):
    err = raises_in_charm(
        api, pebble.APIError, lambda c: c.get_notices(user_id=1, **ALL_USERS), notices_container()
    )
    assert err.code == 400


def test_get_notice_by_id(api):
    def probe(c):
        found = c.get_notice(ROOTS.id)
        with pytest.raises(ops.ModelError):
            c.get_notice("no-such-id")
        return found

    found, _ = in_charm(api, probe, notices_container())
    assert (found.key, found.type, found.user_id) == ("example.com/root", CHANGE_UPDATE, 0)
    assert found.last_repeated.isoformat() == "2024-05-01T11:00:00+00:00"


def test_get_notices_answers_while_disconnected_under_ops_testing():
    # As ops[testing] 8.9 does (Scenario 5 runs need can_connect for it: see
    # test_get_checks_and_notices_need_pebble_under_scenario_5).
    with pytest.warns(JujuStricterWarning, match='get_notices on container "foo"'):
        found, _ = in_charm(
            ops_testing(), lambda c: keys(c.get_notices()), notices_container(can_connect=False)
        )
    assert found == ["example.com/root", "example.com/public"]


def test_custom_notice_event_carries_the_notice(api):
    container = notices_container()
    ctx = Context(ProbeCharm, meta=META)
    ProbeCharm.seen = None
    api.run(ctx, "pebble_custom_notice", State(containers={container}), container, PUBLIC)
    notice_id, notice_type, key, last_data = ProbeCharm.seen
    assert (notice_id, key) == (PUBLIC.id, "example.com/public")
    assert notice_type == pebble.NoticeType.CUSTOM
    # Beyond id, type and key, ops asks Pebble for the notice.
    assert last_data == {"k": "v"}


def test_a_notice_with_naive_times_reads_back_as_given(api):
    # ops[testing] hands a Notice's datetimes to the charm unchanged, naive ones too.

    when = datetime.datetime(2020, 1, 1, 12, 30)

    class NoticeCharm(ops.CharmBase):
        seen: ClassVar[list] = []

        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            framework.observe(self.on.foo_pebble_custom_notice, self._on_notice)

        def _on_notice(self, event: ops.PebbleCustomNoticeEvent):
            notices = event.workload.get_notices(**ALL_USERS)
            NoticeCharm.seen = [(n.first_occurred, n.last_repeated) for n in notices]

    times = {"first_occurred": when, "last_occurred": when, "last_repeated": when}
    notice = Notice(key="example.com/a", **times)
    assert notice.first_occurred == when
    container = Container("foo", can_connect=True, notices=[notice])
    ctx = Context(NoticeCharm, meta=META)
    api.run(ctx, "pebble_custom_notice", State(containers={container}), container, notice)
    assert NoticeCharm.seen == [(when, when)]


# =========================================================================================
# The Container of the State
# =========================================================================================


def test_container_plan_and_services_properties():
    container = Container(
        "foo",
        layers={"base": pebble.Layer(LAYER), "checks": pebble.Layer(CHECKS_LAYER)},
        service_status={"web": pebble.ServiceStatus.ACTIVE},
    )
    plan = container.plan
    assert isinstance(plan, pebble.Plan)
    assert plan.services["web"].command == "/bin/web --port 80"
    assert sorted(plan.checks) == ["alive-chk", "ready-chk"]
    services = container.services
    assert sorted(services) == ["idle", "web"]
    assert services["web"].current == pebble.ServiceStatus.ACTIVE
    assert services["web"].startup == pebble.ServiceStartup.ENABLED
    assert services["idle"].current == pebble.ServiceStatus.INACTIVE
    assert services["idle"].startup == pebble.ServiceStartup.DISABLED


def test_container_plan_includes_base_plan():
    container = Container(
        "foo",
        _base_plan={"services": {"b": {"override": "replace", "command": "base"}}},
        layers={"l": pebble.Layer({"services": {"b": {"override": "merge", "user": "u"}}})},
    )
    assert container.plan.services["b"].command == "base"
    assert container.plan.services["b"].user == "u"
    assert sorted(container.services) == ["b"]


def test_output_layers_and_input_unchanged(api):
    container = Container("foo", can_connect=True)
    state_in = State(containers=[container])

    def probe(c):
        c.add_layer("base", LAYER)
        c.replan()

    _, out = in_charm(api, probe, state=state_in)
    out_container = out.get_container("foo")
    assert list(out_container.layers) == ["base"]
    assert out_container.plan.services["web"].command == "/bin/web --port 80"
    assert out_container.service_status == {"web": pebble.ServiceStatus.ACTIVE}
    # The input is a value: the run did not change it.
    assert state_in.get_container("foo").layers == {}
    assert state_in.get_container("foo").service_status == {}
    assert container.layers == {}
    assert container.plan.to_dict() == {}


def test_output_state_feeds_the_next_run(api):
    ctx = Context(ProbeCharm, meta=META)
    _, out = in_charm(api, lambda c: c.add_layer("base", LAYER), ctx=ctx)

    def probe(c):
        c.add_layer("more", {"services": {"web": {"override": "merge", "user": "u"}}})
        return c.get_plan().services["web"].user, c.get_plan().services["web"].command

    (user, command), out2 = in_charm(api, probe, ctx=ctx, state=out)
    assert (user, command) == ("u", "/bin/web --port 80")
    assert list(out2.get_container("foo").layers) == ["base", "more"]


def test_container_defaults(testing):
    c = testing.Container("c")
    assert c.can_connect is False
    assert c.layers == {}
    assert c.service_statuses == {}
    assert c.mounts == {}
    assert c.execs == frozenset()
    assert c.notices == []
    assert c.check_infos == frozenset()


def test_containers_hash_by_name(testing):
    assert hash(testing.Container("c")) == hash(testing.Container("c", can_connect=True))
    assert testing.Container("c") == testing.Container("c")
    assert testing.Container("c") != testing.Container("c", can_connect=True)


def test_check_info(testing):
    info = testing.CheckInfo("http")
    assert info.level is None
    # An enum on ops 3; ops 2 has no CheckStartup, and there it is the str.
    assert getattr(info.startup, "value", info.startup) == "enabled"
    assert info.status == ops.pebble.CheckStatus.UP
    assert (info.successes, info.failures, info.threshold) == (0, 0, 3)
    assert testing.CheckInfo("http", level="alive").level == ops.pebble.CheckLevel.ALIVE
    assert hash(info) == hash(testing.CheckInfo("http", failures=2))


def test_notice(testing):
    first, second = testing.Notice("example.com/a"), testing.Notice("example.com/b")
    assert int(second.id) > int(first.id)
    assert first.type == ops.pebble.NoticeType.CUSTOM
    assert (first.occurrences, first.last_data, first.user_id) == (1, {}, None)
    assert first.first_occurred.tzinfo is not None


def test_layer_from_rockcraft(testing, tmp_path):
    rockcraft = tmp_path / "rockcraft.yaml"
    rockcraft.write_text(
        "name: r\nsummary: a rock\ndescription: it rocks\n"
        "services:\n  web:\n    override: replace\n    command: serve\n    startup: enabled\n"
        "checks:\n  up:\n    override: replace\n    level: alive\n    exec:\n      command: true\n"
    )
    layer = testing.layer_from_rockcraft(rockcraft)
    assert isinstance(layer, ops.pebble.Layer)
    assert layer.summary == "a rock"
    assert layer.services["web"].command == "serve"
    level = layer.checks["up"].level
    assert getattr(level, "value", level) == "alive"  # an enum on ops 3, a str on ops 2
    with pytest.raises(ValueError):
        testing.layer_from_rockcraft(tmp_path / "missing.yaml")


def test_a_check_info_level_of_the_wrong_type_is_a_value_error():
    with pytest.raises(ValueError):
        CheckInfo(name="c", level=1)  # type: ignore[arg-type]


def test_check_info_values_pebble_does_not_know_are_handed_back():
    with pytest.warns(JujuStricterWarning) as warned:
        info = CheckInfo(name="c", startup="bad", status="worse", threshold=None)  # type: ignore
    assert (info.startup, info.status, info.threshold) == ("bad", "worse", None)
    said = " ".join(str(w.message) for w in warned)
    assert "startup" in said and "status" in said and "threshold" in said


def test_strict_mode_refuses_check_info_values_pebble_does_not_know(monkeypatch):
    monkeypatch.setenv("SCENARIO_STRICT", "1")
    with pytest.raises(Exception, match="startup"):
        CheckInfo(name="c", startup="bad")  # type: ignore[arg-type]
