/*
 * Maillage — draws the network fragments of maillage.viz.network.render_network with vis-network.
 *
 * Each <div data-maillage-network="DATA-ID"> is drawn from the JSON of <script type="application/json"
 * id="DATA-ID">, at the positions computed on the server, physics off. Tooltips are plain text (never
 * HTML). A click on a node with a `url` (a same-site path or an http(s) URL) goes there.
 * For pages and tests: window.maillageNetwork is the vis.Network drawn last (its data:
 * .body.data.nodes / .edges); window.maillageNetworks[id] = {id, network, nodes, edges} for each
 * container, nodes and edges being the vis.DataSets (string titles there are replaced by their
 * plain-text tooltip elements). Once the first view is final (drawn, labels measured, fitted),
 * window.maillageNetworkReady becomes true and the container fires a bubbling "maillage:ready" event.
 * Loading this file twice is harmless: every container is drawn once.
 */
(function () {
  "use strict";

  var ALLOWED_PROTOCOLS = { "http:": true, "https:": true };

  function plainTextTooltip(text) {
    var element = document.createElement("div");
    element.className = "maillage-infobulle";
    element.textContent = text;
    return element;
  }

  function withTooltips(items) {
    return items.map(function (item) {
      var copy = Object.assign({}, item);
      if (typeof copy.title === "string" && copy.title !== "") {
        copy.title = plainTextTooltip(copy.title);
      } else {
        delete copy.title;
      }
      return copy;
    });
  }

  function safeHref(url) {
    if (typeof url !== "string" || url === "") {
      return null;
    }
    try {
      var parsed = new URL(url, window.location.href);
      return ALLOWED_PROTOCOLS[parsed.protocol] ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function draw(container) {
    if (container.hasAttribute("data-maillage-state")) {
      return;
    }
    container.setAttribute("data-maillage-state", "drawing");
    var dataId = container.getAttribute("data-maillage-network");
    var source = document.getElementById(dataId);
    if (!source) {
      throw new Error("maillage-network: no data block with id \"" + dataId + "\" for #" + container.id);
    }
    if (typeof window.vis === "undefined" || typeof window.vis.Network !== "function") {
      throw new Error(
        "maillage-network: vis-network is not loaded; include /static/viz/vendor/vis-network/vis-network.min.js"
      );
    }
    var payload = JSON.parse(source.textContent);
    var nodes = new window.vis.DataSet(withTooltips(payload.nodes));
    var edges = new window.vis.DataSet(withTooltips(payload.edges));
    var options = readableLabelOptions(container, payload);
    var network = new window.vis.Network(container, { nodes: nodes, edges: edges }, options);
    var handle = { id: container.id, network: network, nodes: nodes, edges: edges };
    window.maillageNetworks = window.maillageNetworks || {};
    window.maillageNetworks[container.id] = handle;
    window.maillageNetwork = network;

    // Labels are measured during the first drawing, so fit again once they are known (long labels at the
    // edges would be cut otherwise); the network is ready after that second drawing.
    network.once("afterDrawing", function () {
      network.once("afterDrawing", function () {
        container.setAttribute("data-maillage-state", "ready");
        window.maillageNetworkReady = true;
        container.dispatchEvent(new CustomEvent("maillage:ready", { bubbles: true, detail: handle }));
      });
      network.fit({ animation: false });
      network.redraw();
    });

    network.on("click", function (params) {
      if (params.nodes.length !== 1) {
        return;
      }
      var node = nodes.get(params.nodes[0]);
      var href = node ? safeHref(node.url) : null;
      if (href) {
        window.location.assign(href);
      }
    });

    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      container.classList.toggle("maillage-reseau__toile--lien", Boolean(node && safeHref(node.url)));
    });
    network.on("blurNode", function () {
      container.classList.remove("maillage-reseau__toile--lien");
    });

    network.fit({ animation: false });
  }

  // The zoom at which vis-network's fit() will show the whole network, estimated from the positions and
  // sizes and the container's size (fit() itself also counts labels, so it zooms out a little more).
  function estimatedFitScale(container, nodeData, options) {
    var width = container.clientWidth || 800;
    var height = parseFloat(options.height) || container.clientHeight || 600;
    var minX = Infinity;
    var maxX = -Infinity;
    var minY = Infinity;
    var maxY = -Infinity;
    nodeData.forEach(function (node) {
      var radius = node.value || 10;
      minX = Math.min(minX, node.x - radius);
      maxX = Math.max(maxX, node.x + radius);
      minY = Math.min(minY, node.y - radius);
      maxY = Math.max(maxY, node.y + radius);
    });
    if (!isFinite(minX)) {
      return 1;
    }
    var scale = Math.min(width / Math.max(maxX - minX, 1), height / Math.max(maxY - minY, 1)) * 0.9;
    return Math.min(Math.max(scale, 0.02), 1); // fit() never zooms in past 1
  }

  // Positions are in canvas units, so the zoom of the first view decides how big labels look. Label sizes
  // (canvas units) grow with node size between scaling.label.min and .max; they are set here, before the
  // network is built, from the estimated zoom. Small networks: every label display.labelPixels or more on
  // screen. Large networks: only the biggest nodes' labels reach that; the others stay under
  // vis-network's drawThreshold until the user zooms in.
  function readableLabelOptions(container, payload) {
    var display = payload.display || {};
    var options = payload.options;
    if (!display.labelPixels || !options.nodes || !options.nodes.scaling) {
      return options;
    }
    var pixels = display.labelPixels / estimatedFitScale(container, payload.nodes, options);
    var everyLabel = payload.nodes.length <= display.allLabelsUpTo;
    var label = Object.assign({}, options.nodes.scaling.label, {
      min: everyLabel ? pixels : 0.4 * pixels,
      max: everyLabel ? 1.15 * pixels : 1.2 * pixels
    });
    var scaling = Object.assign({}, options.nodes.scaling, { label: label });
    var nodes = Object.assign({}, options.nodes, { scaling: scaling });
    return Object.assign({}, options, { nodes: nodes });
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-maillage-network]");
    for (var index = 0; index < containers.length; index += 1) {
      draw(containers[index]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
