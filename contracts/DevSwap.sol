// SPDX-License-Identifier: MIT
// A minimal Uniswap-V2-style pair and router for the fundtrace devnet. The pair keeps the V2
// constant-product rule with the 0.3 % fee and emits Swap / Sync with the exact V2 signatures;
// tokens really move in and out (ERC-20 transfers). Liquidity is added by sending both tokens
// and calling sync() (no LP token: the devnet needs swaps, not liquidity accounting). The router
// sells a token for ETH: token in → pair → WETH out to the router → unwrap → ETH to the caller,
// as Uniswap's Router02.swapExactTokensForETH. Not for production use.
pragma solidity ^0.8.20;

interface IDevSwapToken {
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
    function transferFrom(address, address, uint256) external returns (bool);
}

interface IDevSwapWeth {
    function withdraw(uint256) external;
}

contract DevPair {
    address public immutable token0;
    address public immutable token1;
    uint112 private reserve0;
    uint112 private reserve1;
    uint32 private blockTimestampLast;
    bool private locked;

    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    event Sync(uint112 reserve0, uint112 reserve1);

    modifier lock() {
        require(!locked, "locked");
        locked = true;
        _;
        locked = false;
    }

    constructor(address a, address b) {
        require(a != b, "identical");
        (token0, token1) = a < b ? (a, b) : (b, a);
    }

    function getReserves() external view returns (uint112, uint112, uint32) {
        return (reserve0, reserve1, blockTimestampLast);
    }

    function sync() external lock {
        _update(IDevSwapToken(token0).balanceOf(address(this)), IDevSwapToken(token1).balanceOf(address(this)));
    }

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external lock {
        require(data.length == 0, "no flash swaps");
        require(amount0Out > 0 || amount1Out > 0, "output");
        (uint112 r0, uint112 r1) = (reserve0, reserve1);
        require(amount0Out < r0 && amount1Out < r1, "liquidity");
        require(to != token0 && to != token1, "to");
        if (amount0Out > 0) require(IDevSwapToken(token0).transfer(to, amount0Out), "transfer");
        if (amount1Out > 0) require(IDevSwapToken(token1).transfer(to, amount1Out), "transfer");
        uint256 b0 = IDevSwapToken(token0).balanceOf(address(this));
        uint256 b1 = IDevSwapToken(token1).balanceOf(address(this));
        uint256 a0In = b0 > r0 - amount0Out ? b0 - (r0 - amount0Out) : 0;
        uint256 a1In = b1 > r1 - amount1Out ? b1 - (r1 - amount1Out) : 0;
        require(a0In > 0 || a1In > 0, "input");
        require((b0 * 1000 - a0In * 3) * (b1 * 1000 - a1In * 3) >= uint256(r0) * r1 * 1_000_000, "K");
        _update(b0, b1);
        emit Swap(msg.sender, a0In, a1In, amount0Out, amount1Out, to);
    }

    function _update(uint256 b0, uint256 b1) private {
        require(b0 <= type(uint112).max && b1 <= type(uint112).max, "overflow");
        reserve0 = uint112(b0);
        reserve1 = uint112(b1);
        blockTimestampLast = uint32(block.timestamp);
        emit Sync(reserve0, reserve1);
    }
}

contract DevRouter {
    address public immutable pair;
    address public immutable weth;

    constructor(address pair_, address weth_) {
        pair = pair_;
        weth = weth_;
    }

    receive() external payable {
        require(msg.sender == weth, "only WETH");
    }

    /// Uniswap V2's getAmountOut: the 0.3 % fee on the input, rounded down.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        uint256 inWithFee = amountIn * 997;
        return (inWithFee * reserveOut) / (reserveIn * 1000 + inWithFee);
    }

    function swapExactTokensForETH(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts) {
        require(block.timestamp <= deadline, "expired");
        require(path.length == 2 && path[1] == weth, "path");
        DevPair p = DevPair(pair);
        bool zeroIn = path[0] == p.token0();
        require(zeroIn ? p.token1() == weth : p.token0() == weth && p.token1() == path[0], "pair");
        (uint112 r0, uint112 r1, ) = p.getReserves();
        uint256 out = zeroIn ? getAmountOut(amountIn, r0, r1) : getAmountOut(amountIn, r1, r0);
        require(out >= amountOutMin, "slippage");
        require(IDevSwapToken(path[0]).transferFrom(msg.sender, pair, amountIn), "transferFrom");
        p.swap(zeroIn ? 0 : out, zeroIn ? out : 0, address(this), "");
        IDevSwapWeth(weth).withdraw(out);
        (bool ok, ) = payable(to).call{value: out}("");
        require(ok, "send");
        amounts = new uint256[](2);
        amounts[0] = amountIn;
        amounts[1] = out;
    }
}
