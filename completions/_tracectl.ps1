
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tracectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tracectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tracectl' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Run a runbook''s investigation and rank what it finds')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit the instrumentation against the tracing best practices: coverage, span names, attributes, events, context propagation, sampling and sensitive data, from a sample of recent traces per service; findings with the fix, and a 0-100 score per service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Health checks of the tracing stack, one pass/fail per check, for CI pipelines')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy the tracing stack (runbook 3.2.1): plan, apply with a journal, verify, roll back')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'What a finding kind means, the evidence it uses, and how to fix it')
            [CompletionResult]::new('runbooks', 'runbooks', [CompletionResultType]::ParameterValue, 'List the runbooks or show one as a document')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'View the config file and switch contexts')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('errors', 'errors', [CompletionResultType]::ParameterValue, 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces'' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('data-loss', 'data-loss', [CompletionResultType]::ParameterValue, 'Where are spans lost? Every stage measured: services sending and sampling, the Collector''s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector''s config and its pods')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the Deployment''s latest (or --revision N) rollout, with significance tests that do not cry wolf on low traffic')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks'' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate;latency' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the slowest service over the threshold)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the slowest service over the threshold)')
            [CompletionResult]::new('--operation', '--operation', [CompletionResultType]::ParameterName, 'Narrow to one operation of the service')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Latency threshold in seconds for the service [default: the runbook''s, 1.0]')
            [CompletionResult]::new('--quantile', '--quantile', [CompletionResultType]::ParameterName, 'Quantile to judge latency by [default: 0.95]')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'A git repository: also list commits touching the service in the lookback')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;errors' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the service with the highest error ratio)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service to investigate (without it: the service with the highest error ratio)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Error-ratio threshold (errors / requests) for the service [default: the runbook''s, 0.05]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;data-loss' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Narrow the service checks to one service, and check that its stored spans are found')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Narrow the service checks to one service, and check that its stored spans are found')
            [CompletionResult]::new('--collector-name', '--collector-name', [CompletionResultType]::ParameterName, 'The Collector''s Deployment, pod label app=NAME, container and ConfigMap NAME-config')
            [CompletionResult]::new('--collector-namespace', '--collector-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Collector and Jaeger [default: -n]')
            [CompletionResult]::new('--collector-config', '--collector-config', [CompletionResultType]::ParameterName, 'Lint this Collector config file instead of the NAME-config ConfigMap')
            [CompletionResult]::new('--jaeger-name', '--jaeger-name', [CompletionResultType]::ParameterName, 'Jaeger''s pods (label app=NAME) and containers')
            [CompletionResult]::new('--jaeger-collector-addr', '--jaeger-collector-addr', [CompletionResultType]::ParameterName, 'Jaeger collector''s gRPC address to dial [default: the Jaeger URL''s host:14250 when it uses port 16686]')
            [CompletionResult]::new('--es-index-prefix', '--es-index-prefix', [CompletionResultType]::ParameterName, 'Jaeger''s Elasticsearch index prefix (its es.index-prefix)')
            [CompletionResult]::new('--scrape-interval', '--scrape-interval', [CompletionResultType]::ParameterName, 'Time between the two scrapes of --collector-metrics-url when Prometheus has no otelcol_* metrics')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;rollout' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service, and the name of its Deployment')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service, and the name of its Deployment')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Judge this revision of the Deployment (`kubectl rollout history`) [default: the latest]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'When the rollout began (RFC 3339 or unix seconds), instead of its ReplicaSet''s creation time: for a service not on Kubernetes, or a rollback (which reuses an old ReplicaSet)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Length of each window, before and after the rollout [default: 30m]')
            [CompletionResult]::new('--settle', '--settle', [CompletionResultType]::ParameterName, 'Time after the rollout began that neither window covers, while pods are replaced [default: 2m]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;alerts' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only alerts matching this Alertmanager matcher (e.g. ''team="shop"''); repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;investigate;help' {
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('errors', 'errors', [CompletionResultType]::ParameterValue, 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces'' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('data-loss', 'data-loss', [CompletionResultType]::ParameterValue, 'Where are spans lost? Every stage measured: services sending and sampling, the Collector''s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector''s config and its pods')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the Deployment''s latest (or --revision N) rollout, with significance tests that do not cry wolf on low traffic')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks'' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;investigate;help;latency' {
            break
        }
        'tracectl;investigate;help;errors' {
            break
        }
        'tracectl;investigate;help;data-loss' {
            break
        }
        'tracectl;investigate;help;rollout' {
            break
        }
        'tracectl;investigate;help;alerts' {
            break
        }
        'tracectl;investigate;help;help' {
            break
        }
        'tracectl;audit' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Audit only this service (without it: every service Jaeger knows)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Audit only this service (without it: every service Jaeger knows)')
            [CompletionResult]::new('--traces-per-service', '--traces-per-service', [CompletionResultType]::ParameterName, 'Recent traces sampled per service, 1-1000 [default: the runbook''s, 50]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('--detect-ips', '--detect-ips', [CompletionResultType]::ParameterName, 'Also report IP addresses in span data as sensitive (client IPs are personal data)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;check' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these checks (comma-separated)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip these checks (comma-separated)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;deploy' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the ordered steps and what each would change, from the cluster''s current state; changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;deploy;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Inputs file [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Inputs file [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--collector-values', '--collector-values', [CompletionResultType]::ParameterName, 'Values file of the Collector chart')
            [CompletionResult]::new('--collector-version', '--collector-version', [CompletionResultType]::ParameterName, 'Version of the Collector chart')
            [CompletionResult]::new('--jaeger-values', '--jaeger-values', [CompletionResultType]::ParameterName, 'Values file of the Jaeger chart')
            [CompletionResult]::new('--jaeger-version', '--jaeger-version', [CompletionResultType]::ParameterName, 'Version of the Jaeger chart')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'A directory of manifests to server-side apply (repeatable; replaces deploy.yaml''s list)')
            [CompletionResult]::new('--es-password-file', '--es-password-file', [CompletionResultType]::ParameterName, 'File holding the Elasticsearch password for Jaeger''s Secret')
            [CompletionResult]::new('--es-password-env', '--es-password-env', [CompletionResultType]::ParameterName, 'Environment variable holding the Elasticsearch password')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the workloads to roll out [default: 5m]')
            [CompletionResult]::new('--helm', '--helm', [CompletionResultType]::ParameterName, 'The helm binary [default: helm on PATH]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;deploy;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Inputs file [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Inputs file [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--collector-values', '--collector-values', [CompletionResultType]::ParameterName, 'Values file of the Collector chart')
            [CompletionResult]::new('--collector-version', '--collector-version', [CompletionResultType]::ParameterName, 'Version of the Collector chart')
            [CompletionResult]::new('--jaeger-values', '--jaeger-values', [CompletionResultType]::ParameterName, 'Values file of the Jaeger chart')
            [CompletionResult]::new('--jaeger-version', '--jaeger-version', [CompletionResultType]::ParameterName, 'Version of the Jaeger chart')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'A directory of manifests to server-side apply (repeatable; replaces deploy.yaml''s list)')
            [CompletionResult]::new('--es-password-file', '--es-password-file', [CompletionResultType]::ParameterName, 'File holding the Elasticsearch password for Jaeger''s Secret')
            [CompletionResult]::new('--es-password-env', '--es-password-env', [CompletionResultType]::ParameterName, 'Environment variable holding the Elasticsearch password')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the workloads to roll out [default: 5m]')
            [CompletionResult]::new('--helm', '--helm', [CompletionResultType]::ParameterName, 'The helm binary [default: helm on PATH]')
            [CompletionResult]::new('--journal', '--journal', [CompletionResultType]::ParameterName, 'Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-deploy.jsonl]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, roll back what this run changed without asking')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;deploy;verify' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Inputs file, for the namespace and the services [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Inputs file, for the namespace and the services [default: ./deploy.yaml when it exists]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;deploy;rollback' {
            [CompletionResult]::new('--journal', '--journal', [CompletionResultType]::ParameterName, 'The journal to undo [default: the newest in $XDG_STATE_HOME/tracectl/journal]')
            [CompletionResult]::new('--helm', '--helm', [CompletionResultType]::ParameterName, 'The helm binary [default: helm on PATH]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;deploy;help' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the ordered steps and what each would change, from the cluster''s current state; changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;deploy;help;plan' {
            break
        }
        'tracectl;deploy;help;apply' {
            break
        }
        'tracectl;deploy;help;verify' {
            break
        }
        'tracectl;deploy;help;rollback' {
            break
        }
        'tracectl;deploy;help;help' {
            break
        }
        'tracectl;explain' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List every finding kind')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;runbooks;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;runbooks;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;runbooks;help;list' {
            break
        }
        'tracectl;runbooks;help;show' {
            break
        }
        'tracectl;runbooks;help;help' {
            break
        }
        'tracectl;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;config;view' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;get-contexts' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;use-context' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;config;help' {
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;config;help;view' {
            break
        }
        'tracectl;config;help;get-contexts' {
            break
        }
        'tracectl;config;help;use-context' {
            break
        }
        'tracectl;config;help;help' {
            break
        }
        'tracectl;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Named context in the config file (endpoints, auth, profile, thresholds)')
            [CompletionResult]::new('--prometheus-url', '--prometheus-url', [CompletionResultType]::ParameterName, 'Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)')
            [CompletionResult]::new('--jaeger-url', '--jaeger-url', [CompletionResultType]::ParameterName, 'Jaeger query service (the /api HTTP API the Jaeger UI uses)')
            [CompletionResult]::new('--elasticsearch-url', '--elasticsearch-url', [CompletionResultType]::ParameterName, 'Elasticsearch or OpenSearch holding Jaeger''s indices')
            [CompletionResult]::new('--grafana-url', '--grafana-url', [CompletionResultType]::ParameterName, 'Grafana HTTP API')
            [CompletionResult]::new('--alertmanager-url', '--alertmanager-url', [CompletionResultType]::ParameterName, 'Alertmanager (API v2)')
            [CompletionResult]::new('--collector-metrics-url', '--collector-metrics-url', [CompletionResultType]::ParameterName, 'The OpenTelemetry Collector''s own metrics endpoint (:8888/metrics)')
            [CompletionResult]::new('--collector-otlp-url', '--collector-otlp-url', [CompletionResultType]::ParameterName, 'The Collector''s OTLP/HTTP receiver (:4318)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'Kubeconfig context')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the services')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Metric-name profile [default: mcp]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'How far back to look [default: 1h]')
            [CompletionResult]::new('--rate-window', '--rate-window', [CompletionResultType]::ParameterName, 'Window of rate() [default: 5m]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each backend request [default: 10s]')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Time budget of the whole command; steps still running then fail [default: 60s]')
            [CompletionResult]::new('--runbooks', '--runbooks', [CompletionResultType]::ParameterName, 'Directory of runbook files overriding the built-in ones')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists [default: never]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record every backend exchange into an evidence bundle directory')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer every backend call from a recorded bundle, with no network')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (terminal and NO_COLOR unset), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v requests, -vv sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress, only the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;help' {
            [CompletionResult]::new('investigate', 'investigate', [CompletionResultType]::ParameterValue, 'Run a runbook''s investigation and rank what it finds')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit the instrumentation against the tracing best practices: coverage, span names, attributes, events, context propagation, sampling and sensitive data, from a sample of recent traces per service; findings with the fix, and a 0-100 score per service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Health checks of the tracing stack, one pass/fail per check, for CI pipelines')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy the tracing stack (runbook 3.2.1): plan, apply with a journal, verify, roll back')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'What a finding kind means, the evidence it uses, and how to fix it')
            [CompletionResult]::new('runbooks', 'runbooks', [CompletionResultType]::ParameterValue, 'List the runbooks or show one as a document')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'View the config file and switch contexts')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;help;investigate' {
            [CompletionResult]::new('latency', 'latency', [CompletionResultType]::ParameterValue, 'Why is a service slow? Latency by service, operation and dependency, slow traces'' critical paths, container resources and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('errors', 'errors', [CompletionResultType]::ParameterValue, 'Why is a service failing? Error ratio by service, error types against the baseline, where the error traces'' errors start, failing dependencies, error-log templates, pod health and resources, and recent changes, ranked into a diagnosis')
            [CompletionResult]::new('data-loss', 'data-loss', [CompletionResultType]::ParameterValue, 'Where are spans lost? Every stage measured: services sending and sampling, the Collector''s receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds in it), connectivity, the Collector''s config and its pods')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Did a rollout regress the service? p95/p99 latency, error ratio and throughput per operation, in equal windows before and after the Deployment''s latest (or --revision N) rollout, with significance tests that do not cry wolf on low traffic')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Start from what is firing: each firing alert in Alertmanager mapped to its runbook and service (the runbooks'' `alerts:` rules), those investigations run concurrently, one combined report with a section per alert and the alerts no runbook answers')
            break
        }
        'tracectl;help;investigate;latency' {
            break
        }
        'tracectl;help;investigate;errors' {
            break
        }
        'tracectl;help;investigate;data-loss' {
            break
        }
        'tracectl;help;investigate;rollout' {
            break
        }
        'tracectl;help;investigate;alerts' {
            break
        }
        'tracectl;help;audit' {
            break
        }
        'tracectl;help;check' {
            break
        }
        'tracectl;help;deploy' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the ordered steps and what each would change, from the cluster''s current state; changes nothing')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate; offer the rollback when a step fails')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Run the post-deployment checks alone: pods ready, services present, an empty OTLP export accepted, the Jaeger UI answering')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo a deployment from its journal: helm rollback to the revisions before, delete what it created')
            break
        }
        'tracectl;help;deploy;plan' {
            break
        }
        'tracectl;help;deploy;apply' {
            break
        }
        'tracectl;help;deploy;verify' {
            break
        }
        'tracectl;help;deploy;rollback' {
            break
        }
        'tracectl;help;explain' {
            break
        }
        'tracectl;help;runbooks' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the runbooks (built in, or from --runbooks DIR)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook: its steps, their queries and the equivalent tracectl command')
            break
        }
        'tracectl;help;runbooks;list' {
            break
        }
        'tracectl;help;runbooks;show' {
            break
        }
        'tracectl;help;config' {
            [CompletionResult]::new('view', 'view', [CompletionResultType]::ParameterValue, 'Print the config file with every secret masked')
            [CompletionResult]::new('get-contexts', 'get-contexts', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('use-context', 'use-context', [CompletionResultType]::ParameterValue, 'Make NAME the current context')
            break
        }
        'tracectl;help;config;view' {
            break
        }
        'tracectl;help;config;get-contexts' {
            break
        }
        'tracectl;help;config;use-context' {
            break
        }
        'tracectl;help;completions' {
            break
        }
        'tracectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
